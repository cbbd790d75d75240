import * as chrono from 'chrono-node';

export interface DateRange {
  /** Inclusive, UTC. */
  from: Date;
  /** Exclusive, UTC. */
  to: Date;
  /** The words of the query that named it ("this weekend", "December"). */
  text: string;
}

const DAY = 24 * 3600 * 1000;
const startOfDay = (ms: number) => Math.floor(ms / DAY) * DAY;

/** Week phrases chrono reads as single days: handled here as the ranges people mean. UTC days, weeks from Monday. */
function weekPhrase(query: string, now: number): DateRange | undefined {
  const m = /\b(this|next|the|coming)?\s*(weekend|week)\b/i.exec(query);
  if (!m) return undefined;
  const today = startOfDay(now);
  const weekday = new Date(today).getUTCDay(); // 0 Sunday .. 6 Saturday
  const next = m[1]?.toLowerCase() === 'next';
  if (m[2]!.toLowerCase() === 'weekend') {
    // On a Saturday or Sunday "this weekend" is the one under way; otherwise the coming one.
    const saturday = weekday === 6 ? today : weekday === 0 ? today - DAY : today + (6 - weekday) * DAY;
    const from = saturday + (next ? 7 * DAY : 0);
    // Sunday of the weekend under way: from today, yesterday is past anyway.
    return { from: new Date(Math.max(from, today)), to: new Date(from + 2 * DAY), text: m[0].trim() };
  }
  const monday = today - ((weekday + 6) % 7) * DAY;
  return next
    ? { from: new Date(monday + 7 * DAY), to: new Date(monday + 14 * DAY), text: m[0].trim() }
    : { from: new Date(today), to: new Date(monday + 7 * DAY), text: m[0].trim() };
}

/**
 * The date range a search query names, if any: week phrases here, everything
 * else ("tomorrow", "next Friday", "on 24 December", "in January 2027") by
 * chrono, read forward from `now` in UTC. A month without a day is the whole
 * month, the current one included ("in December" in December is this December).
 */
export function parseDatePhrase(query: string, now: number): DateRange | undefined {
  const week = weekPhrase(query, now);
  if (week) return week;
  const found = chrono.parse(query, { instant: new Date(now), timezone: 'UTC' }, { forwardDate: true })[0];
  if (!found) return undefined;
  const s = found.start;
  const current = new Date(now);
  if (s.isCertain('month') && !s.isCertain('day')) {
    const month = s.get('month')! - 1;
    const year = s.isCertain('year')
      ? s.get('year')!
      : month >= current.getUTCMonth()
        ? current.getUTCFullYear()
        : current.getUTCFullYear() + 1;
    return { from: new Date(Date.UTC(year, month, 1)), to: new Date(Date.UTC(year, month + 1, 1)), text: found.text };
  }
  const day = Date.UTC(s.get('year')!, s.get('month')! - 1, s.get('day')!);
  const end = found.end ? Date.UTC(found.end.get('year')!, found.end.get('month')! - 1, found.end.get('day')!) + DAY : day + DAY;
  return { from: new Date(day), to: new Date(end), text: found.text };
}
