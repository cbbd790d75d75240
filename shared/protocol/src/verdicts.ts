import { z } from 'zod';

/** Verdicts of a scan, shared by the online /api/verify and every gate. */
export const SCAN_RESULTS = [
  'SUCCESS',
  'DUPLICATE',
  'UNPAID',
  'NOT_FOUND',
  'WRONG_HALL',
  'EXPIRED',
  'QR_INVALID',
  // The event's admission policy (docs/api.md, "Admission policy"):
  /** Entry before the doors open. */
  'NOT_YET_OPEN',
  /** Entry after the last-entry time. */
  'ENTRY_CLOSED',
  /** This gate's zone is not one the ticket's category may enter. */
  'WRONG_ZONE',
  /** The ticket has used up the event's maximum number of entries. */
  'ENTRY_LIMIT',
  /** An exit scan of a ticket that was inside: recorded, the holder leaves. */
  'EXITED',
  /** An exit scan of a ticket that is not inside (never entered, or already out): recorded, nothing changes. */
  'NOT_INSIDE',
] as const;
export const ScanResult = z.enum(SCAN_RESULTS);
export type ScanResult = z.infer<typeof ScanResult>;

/** hh:mm:ss in the venue's display zone (UTC unless a zone is given). */
export function clockTime(at: Date | string | number, timeZone = 'UTC'): string {
  return new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false, timeZone }).format(
    new Date(at),
  );
}

/** The message an entrance shows for a verdict, with its details (first admission, correct hall). */
export function verdictMessage(
  result: ScanResult,
  detail: {
    firstAdmittedAt?: Date | string | number;
    firstAdmittedBy?: string;
    correctHall?: string;
    correctZone?: string;
    /** SUCCESS of a second or later entry (re-entry, a new day). */
    reEntry?: boolean;
    timeZone?: string;
  } = {},
): string {
  switch (result) {
    case 'SUCCESS':
      return detail.reEntry ? '✅ Re-entry. Welcome back!' : '✅ Valid ticket. Welcome!';
    case 'DUPLICATE': {
      if (detail.firstAdmittedAt === undefined) return '⚠️ Already Checked In';
      const by = detail.firstAdmittedBy ? ` at ${detail.firstAdmittedBy}` : '';
      return `⚠️ Already Checked In. This ticket was scanned at ${clockTime(detail.firstAdmittedAt, detail.timeZone)}${by}.`;
    }
    case 'UNPAID':
      return '❌ Incomplete Payment';
    case 'NOT_FOUND':
      return '🚫 Possible Counterfeit';
    case 'WRONG_HALL':
      return `🔄 Wrong Hall — Go to Hall ${detail.correctHall ?? '?'}`;
    case 'EXPIRED':
      return '⏰ Expired QR — Refresh ticket in app';
    case 'QR_INVALID':
      return '🚫 Invalid QR — Not a TicketGate ticket or tampered';
    case 'NOT_YET_OPEN':
      return '⏳ Doors not open yet';
    case 'ENTRY_CLOSED':
      return '⛔ Entry closed';
    case 'WRONG_ZONE':
      return `🔄 Wrong Zone — Go to zone ${detail.correctZone ?? '?'}`;
    case 'ENTRY_LIMIT':
      return '⚠️ Entry limit reached for this ticket';
    case 'EXITED':
      return '👋 Exit recorded. Goodbye!';
    case 'NOT_INSIDE':
      return 'ℹ️ No entry on record — exit not counted';
  }
}
