import { ScanResult, sync } from '@ticketgate/protocol';
import { z } from 'zod';
import { AUTH_ERRORS, documentErrors } from '../../http/error-docs.js';

// Request and response schemas of routes/verify.ts, with their OpenAPI descriptions and error tables.

export const VerifyBody = z.object({
  qr_payload: z.string().min(1).max(2048).describe('The scanned text (Base32 credential; case and surrounding whitespace do not matter)'),
  hall_id: z.string().min(1).max(16).describe('Hall code of the entrance scanning (HALL-A)'),
  staff_id: z.uuid().optional().describe("Optional; must be the token's user"),
  direction: sync.Direction.default('entry').describe('entry (default) or exit: an exit of a ticket inside is EXITED'),
  zone: sync.ZoneName.optional().describe("The zone of the event's admission policy the caller stands at (WRONG_ZONE otherwise)"),
});

export const Verdict = z.object({
  result: ScanResult.exclude(['QR_INVALID']),
  message: z.string().describe('What the entrance shows for the verdict'),
  seat_id: z.uuid().optional(),
  event_id: z.uuid().optional(),
  row_number: z.string().optional(),
  seat_number: z.number().int().optional(),
  owner_name: z.string().nullable().optional(),
  first_scanned_at: z.string().optional().describe('DUPLICATE: when the ticket was first admitted (ISO 8601, UTC)'),
  correct_hall: z.string().optional().describe('WRONG_HALL: the hall the ticket belongs to'),
  correct_zone: z.string().optional().describe('WRONG_ZONE: a zone the ticket category may enter'),
});

export const docs = documentErrors(
  'Staff or above, at a hall of a venue the caller is assigned to (admins: any hall). Verifies a scanned ticket online and, when valid, checks it in — atomically: of two scans of one ticket ' +
    'at once exactly one is SUCCESS. Rejections answer HTTP 200 with a `result`, decided in this order: ' +
    'WRONG_HALL (credential for another hall; the message names it), EXPIRED (older than 60 s, with clock skew allowance), ' +
    'NOT_FOUND (unknown seat, or an older ticket generation after a transfer), UNPAID (seat only held), ' +
    'then, for an exit, EXITED (was inside) or NOT_INSIDE; for an entry, by the event admission policy: WRONG_ZONE, ' +
    'NOT_YET_OPEN (before doors open), ENTRY_CLOSED (after last entry), ENTRY_LIMIT (all entries used), ' +
    'DUPLICATE (already admitted, by staff or a gate, and the policy allows no re-entry now; with the first admission time), SUCCESS ' +
    '(a re-entry after an exit or a new day of a per-day event is SUCCESS too, its message says so). ' +
    'Every scan, pass or fail, is recorded in the entry log with the staff id.',
  [
    ...AUTH_ERRORS,
    ['VALIDATION_ERROR', 'Body failed validation'],
    ['FORBIDDEN', "Caller is a fan, staff_id is not the token's user, or hall_id is a hall of a venue the caller is not assigned to"],
    ['HALL_NOT_FOUND', 'hall_id names no hall (staff and operators; checked with their venues)'],
    [
      'QR_INVALID',
      'Payload is not a TicketGate credential, was tampered with, or is sealed with an unknown key (the scan is still logged)',
    ],
  ],
);
