import { documentErrors } from '../../http/error-docs.js';
import { OPERATOR_ERRORS } from './sync-ops.js';

// OpenAPI descriptions and error tables of routes/ops-live.ts.

export const docs = {
  ticket: documentErrors(
    'A stream ticket for GET /api/ops/live: a signed token, good for 60 seconds, that only opens the live door stream and only ' +
      "for the session of the access token that asked for it. Browsers' EventSource cannot send an Authorization header, so the " +
      'ticket goes in the query; ask for a new one for every (re)connection.',
    OPERATOR_ERRORS,
  ),
  stream: documentErrors(
    'Server-sent events (text/event-stream) with the door figures of an event: `snapshot` when the stream opens and again whenever ' +
      'they change (at once on an admission through any server instance, within 2 s for refused scans, rejected uploads, conflicts ' +
      'and the minute rolling over), `closed` before the server ends the stream (the session ended, or the server is stopping). ' +
      "Identity, role and venues come from the ticket's session when the stream opens: an operator only for events of their venues. " +
      'A comment line every 15 s keeps it alive.',
    [
      ['UNAUTHORIZED', 'Missing, invalid or used-up ticket, or its session has ended'],
      ['TOKEN_EXPIRED', 'The ticket is older than 60 s: ask for a new one'],
      ['FORBIDDEN', 'Requires role operator or above; an operator only for the events of the venues they are assigned to'],
      ['VALIDATION_ERROR', 'event_id missing or not a UUID, or ticket missing'],
      ['EVENT_NOT_FOUND', 'No such event'],
      ['SERVICE_UNAVAILABLE', 'Live notifications are unavailable on this instance: retry shortly'],
    ],
  ),
};
