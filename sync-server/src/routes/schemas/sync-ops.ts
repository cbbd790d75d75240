import { AUTH_ERRORS, documentErrors, type ErrorRows } from '../../http/error-docs.js';

// Request and response schemas of routes/sync-ops.ts, with their OpenAPI descriptions and error tables.

export const OPERATOR_ERRORS: ErrorRows = [
  ...AUTH_ERRORS,
  ['FORBIDDEN', 'Requires role operator or above; an operator only for the halls of the venues they are assigned to'],
];

export const docs = {
  enrolment: documentErrors(
    'Creates a one-time enrolment code for a hall (only a keyed hash of its id and its wrapped reply-binding key are stored). A gate enrols with it once (POST /api/sync/enrol) ' +
      'before it expires (ttl_minutes, default 60). Show the code to the person setting up the kiosk; it is not shown again.',
    [...OPERATOR_ERRORS, ['VALIDATION_ERROR', 'Body failed validation'], ['HALL_NOT_FOUND', 'No such hall']],
  ),
  devices: documentErrors(
    "Enrolled gates with status, last contact, scan backlog and clock offset (as of their last upload); an operator sees the gates of their venues' halls.",
    [...OPERATOR_ERRORS, ['VALIDATION_ERROR', 'Bad filter or page']],
  ),
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
  rotate: documentErrors(
    'Replaces the sync signing key (the key gates pin) by a new one endorsed by it. Gates move to the new key with their next ' +
      'manifest, which carries the chain; a gate accepts a new key only through endorsements starting at the key it pinned. ' +
      'Other server instances sign with the new key within 30 s. Rotate when the old key may be exposed, or on a schedule.',
    [...AUTH_ERRORS, ['FORBIDDEN', 'Requires role admin']],
  ),
  stats: documentErrors(
    'Scans of an event per gate by verdict, with conflicts; online staff verification as one row (device_id null). Every gate of the ' +
      "event's hall is listed, idle ones with zeros.",
    [...OPERATOR_ERRORS, ['VALIDATION_ERROR', 'event_id missing or not a UUID'], ['EVENT_NOT_FOUND', 'No such event']],
  ),
  occupancy: documentErrors(
    'People inside now, per hall and zone of the event: entries (admissions and re-entries, by gates and online staff; ' +
      'annulled admissions left out) minus exits of tickets that were inside. A zone counts the scans of the gates standing at it ' +
      "(the event's admission policy); every zone of the policy is listed, and the event's hall even before its first scan.",
    [...OPERATOR_ERRORS, ['VALIDATION_ERROR', 'event_id missing or not a UUID'], ['EVENT_NOT_FOUND', 'No such event']],
  ),
  policyGet: documentErrors(
    'The event\'s admission policy (docs/api.md, "Admission policy"); `custom: false` and the defaults (single entry) when none was set.',
    [...OPERATOR_ERRORS, ['INVALID_UUID', 'event_id is not a UUID'], ['EVENT_NOT_FOUND', 'No such event']],
  ),
  policyPut: documentErrors(
    "Replaces the event's admission policy: re-entry after an exit, a maximum number of entries, doors-open and last-entry times, " +
      'per-day entry, zones per ticket category with the gates standing at each. Audited (`admission_policy.set`). Gates apply it ' +
      'from their next manifest; the online /api/verify and the election of uploads at once.',
    [
      ...OPERATOR_ERRORS,
      ['INVALID_UUID', 'event_id is not a UUID'],
      ['VALIDATION_ERROR', 'Body failed validation (times not ISO 8601, doors after last entry, a zone twice, a gate in two zones)'],
      ['EVENT_NOT_FOUND', 'No such event'],
    ],
  ),
};
