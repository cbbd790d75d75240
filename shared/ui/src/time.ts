/**
 * Times as people at a door read them: wall-clock time in the venue's zone,
 * always with the zone's name, because a gate, a steward and a control room may
 * not share one ("19:02:16 CET", "18:02:16 UTC").
 */
export function clockWithZone(at: Date | string | number, timeZone = 'UTC'): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
    timeZone,
    timeZoneName: 'short',
  }).formatToParts(new Date(at));
  const pick = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return `${pick('hour')}:${pick('minute')}:${pick('second')} ${pick('timeZoneName')}`;
}

/** A duration in words for banners: "45 s", "12 min", "3 h 20 min". */
export function durationInWords(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s} s`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  return min % 60 ? `${h} h ${min % 60} min` : `${h} h`;
}

/** "4 min ago", or "never" when there is no time. */
export function sinceInWords(at: string | number | null | undefined, now: number): string {
  if (at === null || at === undefined) return 'never';
  return `${durationInWords(now - new Date(at).getTime())} ago`;
}
