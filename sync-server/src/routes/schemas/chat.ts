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

export const ACCESS: ErrorRows = [...AUTH_ERRORS, ['FORBIDDEN', 'Not part of this conversation (staff and above may read and write any)']];

export const BAD_ID: ErrorRows = [['VALIDATION_ERROR', 'conversation_id malformed, or the body/query failed validation']];

export const NOTE = 'Authenticated (Veritix left chat open). The 200 body has the Veritix shape; errors use the TicketGate envelope. ';

export const docs = {
  send: documentErrors(
    `${NOTE}The sender is the token's user: \`sender_id\` may be omitted and, if given, must be your own id unless you are staff or above; ` +
      '`sender_type` `agent` is for staff and above. Anyone may open a new conversation id; only its participants (and staff) write in it afterwards.',
    [...ACCESS, ...BAD_ID],
  ),
  history: documentErrors(`${NOTE}The last \`limit\` messages (1-500, default 50), oldest first. Timestamps are UTC ISO 8601.`, [
    ...ACCESS,
    ...BAD_ID,
  ]),
  escalate: documentErrors(`${NOTE}Hands the conversation to human support.`, [...ACCESS, ...BAD_ID]),
  escalations: documentErrors(`${NOTE}Every escalation of the conversation, oldest first.`, [...ACCESS, ...BAD_ID]),
  conversations: documentErrors(
    `${NOTE}Conversations the user has written in, most recent first. Your own, unless you are staff or above.`,
    [...AUTH_ERRORS, ['FORBIDDEN', 'user_id is someone else and you are below staff'], ['VALIDATION_ERROR', 'user_id malformed']],
  ),
};
