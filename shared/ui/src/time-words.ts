/**
 * Dates and durations as a fan reads them. Shown in the browser's own time zone
 * with the zone named, since the phone may be somewhere else than the venue.
 */
export function dateInWords(iso: string, locale?: string): string {
  const d = new Date(iso);
  const day = new Intl.DateTimeFormat(locale, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).format(d);
  const time = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', timeZoneName: 'short' }).format(d);
  return `${day} at ${time}`;
}

/** "in 3 days", "in 2 hours", "5 minutes ago". */
export function relativeInWords(iso: string, now = Date.now(), locale?: string): string {
  const diff = new Date(iso).getTime() - now;
  const rtf = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  const abs = Math.abs(diff);
  if (abs < 3_600_000) return rtf.format(Math.round(diff / 60_000), 'minute');
  if (abs < 86_400_000) return rtf.format(Math.round(diff / 3_600_000), 'hour');
  return rtf.format(Math.round(diff / 86_400_000), 'day');
}

/** 299 → "4:59". */
export function clock(seconds: number): string {
  const s = Math.max(0, Math.ceil(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** 1234.5 → "S$1,234.50": credits are Singapore dollars one to one, written the same in every locale. */
export function money(amount: number): string {
  const digits = Math.abs(amount).toLocaleString('en-SG', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  return `${amount < 0 ? '−' : ''}S$${digits}`;
}
