import { z } from 'zod';

/** Verdicts of a scan, shared by the online /api/verify and every gate. */
export const SCAN_RESULTS = ['SUCCESS', 'DUPLICATE', 'UNPAID', 'NOT_FOUND', 'WRONG_HALL', 'EXPIRED', 'QR_INVALID'] as const;
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
  detail: { firstAdmittedAt?: Date | string | number; firstAdmittedBy?: string; correctHall?: string; timeZone?: string } = {},
): string {
  switch (result) {
    case 'SUCCESS':
      return '✅ Valid ticket. Welcome!';
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
  }
}
