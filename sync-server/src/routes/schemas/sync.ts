import { documentErrors, type ErrorRows } from '../../http/error-docs.js';

// Request and response schemas of routes/sync.ts, with their OpenAPI descriptions and error tables.

export const DEVICE_ERRORS: ErrorRows = [
  ['UNAUTHORIZED', 'Missing or unknown device token (a user token is not a device token)'],
  ['DEVICE_REVOKED', 'This device was revoked by an operator: stop syncing and re-enrol'],
];

const SIGNED =
  " The success reply is signed: `x-tg-signature` is `<kid>.<Ed25519 signature>` over the request's `x-tg-nonce` and the body " +
  'bytes (docs/sync-protocol.md, "Signed sync").';

export const docs = {
  enrol: documentErrors(
    'A gate exchanges a one-time enrolment code (from an operator, POST /api/sync/enrolments) for its own credential: a device id ' +
      'and a random device token, shown only in this response (the server keeps its hash). The box public key (X25519, base64url) ' +
      "is what the gate keys in manifests are sealed to. A code works once and only until it expires. The gate sends the code's id " +
      '(HKDF of the code), never the code; the reply carries the sync public key to pin, and `x-tg-enrol-mac`, an HMAC over the ' +
      'nonce and the body with a key derived from the code, so only someone holding the code can make a reply the gate accepts.' +
      SIGNED,
    [
      ['VALIDATION_ERROR', 'Body failed validation, or box_public_key is not a 32-byte base64url key'],
      ['ENROLMENT_INVALID', 'The code is unknown, already used or expired'],
    ],
  ),
  hall: documentErrors(
    "The device's hall with its current and upcoming events (date at most a day ago): each with its change sequence and its gate " +
      "keys sealed to this device's box key (openGateKey with the device key pair), plus the public issuing keys still valid and the " +
      "sync key chain; `device_cert`, this device's certificate for the hall mesh (docs/mesh.md), freshly issued; and " +
      '`revoked_devices`, the revoked devices of the hall, whose certificates gates refuse.' +
      SIGNED,
    DEVICE_ERRORS,
  ),
  meshKey: documentErrors(
    "Registers (or replaces) this gate's Ed25519 mesh public key (base64url, 32 bytes) and answers its device certificate, " +
      'signed with the active sync key: device id, hall, name, key, issue and expiry time (docs/mesh.md). Gates enrolled before ' +
      'the mesh call it once; later manifests carry a fresh certificate.' +
      SIGNED,
    [...DEVICE_ERRORS, ['VALIDATION_ERROR', 'public_key is not 43 base64url characters']],
  ),
  seats: documentErrors(
    "Seats of one event of the device's hall as SeatTuples: since=0 is the full snapshot, since=N the seats changed after N. " +
      '`cursor` is the sequence to ask from next time; it is consistent (one repeatable-read snapshot), so a change committed ' +
      'during the pull comes with the next delta. A cursor ahead of the server gets a full snapshot (full=true). Gzip-encoded ' +
      'when the request accepts it.' +
      SIGNED,
    [
      ...DEVICE_ERRORS,
      ['INVALID_UUID', 'event_id is not a UUID'],
      ['VALIDATION_ERROR', 'since is not a non-negative integer'],
      ['EVENT_NOT_FOUND', 'No such event'],
      ['FORBIDDEN', "The event is in another hall than the device's"],
    ],
  ),
  scans: documentErrors(
    'A batch of scans (at most 1000), stored in one transaction, idempotent on (device, client_scan_id): re-sending is safe and ' +
      'answers the same. The first admission of a seat (by scan time, ties by device id) is canonical; later ones are conflicts, ' +
      "and this gate's conflicts in the batch (re-sent ones included) are returned with the canonical admission. An admission " +
      'of a SOLD seat checks it in. `rejected` scans will never be stored: do not resend them. backlog and clock_offset_ms are ' +
      'recorded on the device for operators, and so is sync_integrity (an empty batch may carry it alone).' +
      SIGNED,
    [...DEVICE_ERRORS, ['VALIDATION_ERROR', 'Body failed validation (more than 1000 scans, bad ids or results)']],
  ),
  stream: documentErrors(
    'Server-sent events (text/event-stream) for this gate: `hello` first, then one `seats` message per current event with its ' +
      'seq, then live `admission` (a canonical admission anywhere in the hall) and `seats` (seats of an event changed: pull a ' +
      'delta past your cursor) messages, and `revoked` (then the stream closes). A comment line every 15 s keeps it alive. ' +
      'Every server instance delivers changes made through any instance (PostgreSQL LISTEN/NOTIFY). Every message is signed: ' +
      "`id: <index>` then two data lines, the signature over the stream request's nonce, the index, the event name and the JSON, " +
      'and the JSON itself.',
    [...DEVICE_ERRORS, ['SERVICE_UNAVAILABLE', 'This instance has lost its notification connection: reconnect (maybe elsewhere) shortly']],
  ),
};
