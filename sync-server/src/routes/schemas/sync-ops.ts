import { AUTH_ERRORS, documentErrors, type ErrorRows } from '../../http/error-docs.js';

// Request and response schemas of routes/sync-ops.ts, with their OpenAPI descriptions and error tables.

export const OPERATOR_ERRORS: ErrorRows = [...AUTH_ERRORS, ['FORBIDDEN', 'Requires role operator or above']];

export const docs = {
  enrolment: documentErrors(
    'Creates a one-time enrolment code for a hall (only its hash is stored). A gate enrols with it once (POST /api/sync/enrol) ' +
      'before it expires (ttl_minutes, default 60). Show the code to the person setting up the kiosk; it is not shown again.',
    [...OPERATOR_ERRORS, ['VALIDATION_ERROR', 'Body failed validation'], ['HALL_NOT_FOUND', 'No such hall']],
  ),
  devices: documentErrors('Enrolled gates with status, last contact, scan backlog and clock offset (as of their last upload).', [
    ...OPERATOR_ERRORS,
    ['VALIDATION_ERROR', 'Bad filter or page'],
  ]),
  revoke: documentErrors(
    'Revokes a gate: its token is refused from the next call (DEVICE_REVOKED) and its open live stream receives `revoked` and ' +
      'closes, on every server instance. Revoking a revoked device answers it unchanged.',
    [...OPERATOR_ERRORS, ['INVALID_UUID', 'device_id is not a UUID'], ['NOT_FOUND', 'No such device']],
  ),
  conflicts: documentErrors(
    'Double admissions of an event: seats admitted by two gates (or a gate and online staff) that could not see each other. ' +
      'Each entry is the later admission with the canonical (first) one it lost to.',
    [...OPERATOR_ERRORS, ['VALIDATION_ERROR', 'event_id missing or not a UUID'], ['EVENT_NOT_FOUND', 'No such event']],
  ),
  stats: documentErrors(
    'Scans of an event per gate by verdict, with conflicts; online staff verification as one row (device_id null). Every gate of the ' +
      "event's hall is listed, idle ones with zeros.",
    [...OPERATOR_ERRORS, ['VALIDATION_ERROR', 'event_id missing or not a UUID'], ['EVENT_NOT_FOUND', 'No such event']],
  ),
};
