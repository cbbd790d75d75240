import type { sync } from '@ticketgate/protocol';

/** "Gate A2 at 19:02:16 UTC": who admitted and when, the way a steward and an operator say it. */
export function admissionText(a: sync.Admission): string {
  return `${a.admitted_by} at ${new Date(a.scanned_at).toISOString().slice(11, 19)} UTC`;
}
