import { z } from 'zod';
import { AUTH_ERRORS, documentErrors, type ErrorRows } from '../../http/error-docs.js';

// Request and response schemas of routes/chat.ts, with their OpenAPI descriptions and error tables.

export const tags = ['Chat (Veritix)'];

export const security = [{ bearer: [] }];

export const ConversationParams = z.object({
  // 100: the router's longest path parameter.
  conversation_id: z.string().regex(/^[\w.:-]{1,100}$/, '1-100 letters, digits, _ . : -'),
});

export const Metadata = z.record(z.string(), z.unknown());

export const RecentQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) });

export const RecentEscalations = z.object({
  escalations: z.array(
    z.object({
      id: z.string(),
      conversation_id: z.string(),
      reason: z.string(),
      timestamp: z.string(),
      venue_id: z.string().nullable().describe('The venue it names (metadata venue_id, or the venue of its event_id)'),
      metadata: Metadata,
    }),
  ),
  count: z.number().int(),
});

export const ACCESS: ErrorRows = [
  ...AUTH_ERRORS,
  ['FORBIDDEN', 'Not part of this conversation (admins read any; staff and operators those escalated to one of their venues)'],
];

export const BAD_ID: ErrorRows = [['VALIDATION_ERROR', 'conversation_id malformed, or the body/query failed validation']];

export const NOTE = 'Authenticated (Veritix left chat open). The 200 body has the Veritix shape; errors use the TicketGate envelope. ';

export const docs = {
  send: documentErrors(
    `${NOTE}The sender is always the token's user: \`sender_id\` may be omitted and, if given, must be your own id (for every role); ` +
      '`sender_type` `agent` is for staff and above. Anyone may open a new conversation id; afterwards only its participants, admins, and ' +
      'staff or operators of a venue it was escalated to write in it.',
    [...ACCESS, ...BAD_ID],
  ),
  history: documentErrors(`${NOTE}The last \`limit\` messages (1-500, default 50), oldest first. Timestamps are UTC ISO 8601.`, [
    ...ACCESS,
    ...BAD_ID,
  ]),
  escalate: documentErrors(
    `${NOTE}Hands the conversation to human support. Name the venue (\`metadata.venue_id\`) or event (\`metadata.event_id\`) so the support staff of that venue can read and answer it.`,
    [...ACCESS, ...BAD_ID],
  ),
  escalations: documentErrors(`${NOTE}Every escalation of the conversation, oldest first.`, [...ACCESS, ...BAD_ID]),
  recent: documentErrors(
    `${NOTE}Staff and above. The newest escalations (\`limit\` 1-200, default 50) naming one of the caller's venues; admins see every ` +
      'escalation, also those naming no venue. New ones arrive live on the /ws/support socket.',
    [...AUTH_ERRORS, ['FORBIDDEN', 'Caller is not support staff'], ['VALIDATION_ERROR', 'limit outside 1-200']],
  ),
  conversations: documentErrors(`${NOTE}Conversations the user has written in, most recent first. Your own, unless you are an admin.`, [
    ...AUTH_ERRORS,
    ['FORBIDDEN', 'user_id is someone else and you are not an admin'],
    ['VALIDATION_ERROR', 'user_id malformed'],
  ]),
};
