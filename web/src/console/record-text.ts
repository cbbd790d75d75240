// How the back-office views write server records: times in UTC (the server's
// and the audit log's zone, whatever the operator's browser is set to) and a
// record's free-form details as one line.

/** "2026-12-01 19:02 UTC"; an empty string for no time. */
export function utcMinute(iso: string | null | undefined): string {
  return iso ? `${iso.slice(0, 16).replace('T', ' ')} UTC` : '';
}

/** `{seats: 40, event_id: "…"}` → "seats: 40 · event id: …"; nested values as JSON. */
export function detailsInWords(d: Record<string, unknown>): string {
  return Object.entries(d)
    .map(([k, v]) => `${k.replace(/_/g, ' ')}: ${typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)}`)
    .join(' · ');
}
