import { z } from 'zod';
import { AUTH_ERRORS, documentErrors, type ErrorRows } from '../../http/error-docs.js';

// Request and response schemas of routes/qr.ts, with their OpenAPI descriptions and error tables.

export const tags = ['QR (Veritix)'];
export const GenerateBody = z.object({
  ticket_id: z.uuid().describe('The seat id of the ticket'),
  event: z.string().min(1).max(200).optional().describe("Optional check: the ticket's event id or name"),
  user: z.uuid().optional().describe("Optional check: the ticket owner's user id"),
});
export const ValidateBody = z.object({ qr_text: z.string().min(1).max(4096).describe('The text decoded from the QR') });
export const Metadata = z.object({ ticket_id: z.uuid(), event: z.string(), user: z.uuid().nullable() }).meta({ id: 'VeritixQrMetadata' });
export const Validation = {
  isValid: z.boolean(),
  metadata: Metadata.nullable(),
  reason: z
    .enum(['QR_INVALID', 'EXPIRED', 'NOT_FOUND', 'UNPAID', 'ALREADY_USED'])
    .optional()
    .describe('TicketGate extra, when not valid: why'),
};
export const SpecLimited = z.object({ success: z.literal(false), error: z.string() }).describe('Rate limit exceeded (the Veritix body)');
export const QR_ERRORS: ErrorRows = [
  ['VALIDATION_ERROR', 'ticket_id not a UUID, or `event`/`user` do not match the ticket'],
  ['SEAT_NOT_FOUND', 'No such ticket'],
  ['NOT_SEAT_OWNER', 'A token of someone other than the ticket owner'],
  ['SEAT_UNAVAILABLE', 'Ticket not sold (unpaid) or already used to enter'],
  ['DEVICE_ALREADY_BOUND', "The ticket is bound to the fan's phone, which makes its codes itself"],
];
export const NOTE =
  "The QR is TicketGate's rotating ticket credential (valid 60 s, the same as GET /api/tickets/{seat_id}/qr), never " +
  "Veritix' static HMAC JSON, which is refused. ";
export const VALIDATE_NOTE =
  'Verification without check-in: authentic, fresh, current generation of a sold seat. Nothing is written to the entry log. ' +
  'Staff (or above) or a service key. ';
export const docs = {
  generate: documentErrors(`${NOTE}The ticket owner's access token, or a service key (the QR of the ticket's current owner).`, [
    ...AUTH_ERRORS,
    ['UNAUTHORIZED', 'Wrong service key'],
    ...QR_ERRORS,
  ]),
  validate: documentErrors(VALIDATE_NOTE, [
    ...AUTH_ERRORS,
    ['UNAUTHORIZED', 'Wrong service key'],
    ['FORBIDDEN', 'A fan token, or staff not allowed at the venue of the ticket'],
    ['VALIDATION_ERROR', 'qr_text missing or longer than 4096'],
  ]),
  routerGenerate: documentErrors(`${NOTE}Service key only; 60 requests per minute per client, then the Veritix 429 body.`, [
    ['UNAUTHORIZED', 'Missing or wrong X-Service-Key'],
    ...QR_ERRORS,
  ]),
  routerVerify: documentErrors(`${VALIDATE_NOTE}30 requests per minute per client, then the Veritix 429 body.`, [
    ...AUTH_ERRORS,
    ['UNAUTHORIZED', 'Wrong service key'],
    ['FORBIDDEN', 'A fan token, or staff not allowed at the venue of the ticket'],
    ['VALIDATION_ERROR', 'qr_text missing or longer than 4096'],
  ]),
};
