import { z } from 'zod';
import { ScanResult } from './verdicts.js';

/**
 * The gate sync protocol (docs/sync-protocol.md): what crosses the wire between
 * a gate and the sync server. Both sides import these schemas; the server's
 * OpenAPI is generated from them.
 *
 * Device-authenticated calls send `Authorization: Bearer <device_token>`.
 * Every device response carries `server_time` so gates learn their clock offset.
 * Every success reply a gate trusts is signed (SIGNATURE_HEADER) over the
 * request's nonce (NONCE_HEADER) and the exact body bytes; the format is in
 * docs/sync-protocol.md ("Signed sync").
 */

/** Request header: a fresh random nonce (base64url, 22–64 characters) the signature of the reply covers. */
export const NONCE_HEADER = 'x-tg-nonce';
/** Reply header: `<sync kid>.<base64url Ed25519 signature>`. */
export const SIGNATURE_HEADER = 'x-tg-signature';
/** Enrolment reply header: HMAC-SHA256 with the key derived from the one-time code (base64url). */
export const ENROL_MAC_HEADER = 'x-tg-enrol-mac';
export const Nonce = z.string().regex(/^[A-Za-z0-9_-]{22,64}$/, 'nonce: 22-64 base64url characters');

/** What a gate reports about the data it received (`refused`: a reply or message failed verification). */
export const SyncIntegrity = z.enum(['ok', 'refused']);
export type SyncIntegrity = z.infer<typeof SyncIntegrity>;

export const HallCode = z.string().regex(/^[A-Z0-9-]{1,8}$/, 'hall code: 1-8 of A-Z, 0-9, -');
export const SeatStatus = z.enum(['AVAILABLE', 'HELD', 'SOLD', 'CHECKED_IN']);
export type SeatStatus = z.infer<typeof SeatStatus>;

// ---- enrolment -------------------------------------------------------------

/** A raw Ed25519 public key, base64url (32 bytes). */
export const MeshPublicKey = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'an Ed25519 public key: 43 base64url characters');

/** Operator: POST /api/sync/enrolments */
export const CreateEnrolmentRequest = z.object({
  hall_id: HallCode,
  ttl_minutes: z
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 60)
    .default(60),
});
export const CreateEnrolmentResponse = z.object({
  code: z.string(),
  hall_id: HallCode,
  expires_at: z.string(),
});

/** Gate: POST /api/sync/enrol (no auth; the one-time code is the credential). */
export const EnrolRequest = z.object({
  /** enrolmentCodeId(code) of @ticketgate/crypto: HKDF of the code, so the code itself never crosses the network. */
  code_id: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'code_id: 43 base64url characters (HKDF-SHA256 of the code)'),
  name: z.string().min(1).max(64),
  /** X25519 public key (base64url): gate keys in manifests are sealed to it. */
  box_public_key: z.string().min(40).max(64),
  app_version: z.string().max(32).optional(),
  /** Ed25519 public key (base64url) of the gate's mesh key: the server certifies it for the hall mesh (docs/mesh.md). */
  mesh_public_key: MeshPublicKey.optional(),
});
export const EnrolResponse = z.object({
  device_id: z.uuid(),
  device_token: z.string(),
  hall_id: HallCode,
  /** The sync public key the gate pins (encodeSyncPublicKey); the reply's MAC binds it to the code. */
  sync_key: z.string(),
  server_time: z.string(),
});

/** Gate: POST /api/sync/mesh-key — registers (or replaces) the device's mesh key; gates enrolled before the mesh use it. */
export const MeshKeyRequest = z.object({ public_key: MeshPublicKey });
export const MeshKeyResponse = z.object({ device_cert: z.string(), server_time: z.string() });
// ---- admission policy (docs/api.md, "Admission policy") -----------------------

export const Direction = z.enum(['entry', 'exit']);
export type Direction = z.infer<typeof Direction>;
export const ZoneName = z.string().regex(/^[A-Za-z0-9 _-]{1,32}$/, 'zone: 1-32 of letters, digits, space, _ and -');

/**
 * An event's admission policy, as operators set it and gates receive it in the
 * signed manifest. The default (no policy stored) is single entry: one entry
 * per ticket, no times, no zones. admission.toRules reads it for the rule.
 */
export const AdmissionPolicy = z
  .object({
    /** An exit lets the ticket enter again. */
    reentry: z.boolean().default(false),
    /** Most entries a ticket makes in all (re-entries and new days included). */
    max_entries: z.number().int().min(1).max(1000).nullable().default(null),
    /** Entries before this time are NOT_YET_OPEN (ISO 8601 UTC). */
    doors_open_at: z.iso.datetime({ offset: true }).nullable().default(null),
    /** Entries after this time are ENTRY_CLOSED. */
    last_entry_at: z.iso.datetime({ offset: true }).nullable().default(null),
    /** Multi-day events: each UTC day admits the ticket afresh. */
    per_day: z.boolean().default(false),
    /** Zones: which ticket categories enter where, and which gates stand at each zone. */
    zones: z
      .array(
        z.object({
          zone: ZoneName,
          categories: z.array(z.string().min(1).max(40)).max(50),
          device_ids: z.array(z.uuid()).max(200).default([]),
        }),
      )
      .max(50)
      .default([]),
  })
  .refine((p) => !p.doors_open_at || !p.last_entry_at || Date.parse(p.doors_open_at) < Date.parse(p.last_entry_at), {
    message: 'doors_open_at must be before last_entry_at',
    path: ['last_entry_at'],
  })
  .refine((p) => new Set(p.zones.map((z) => z.zone)).size === p.zones.length, { message: 'zone names must be unique', path: ['zones'] })
  .refine((p) => new Set(p.zones.flatMap((z) => z.device_ids)).size === p.zones.flatMap((z) => z.device_ids).length, {
    message: 'a gate stands at one zone at most',
    path: ['zones'],
  });
export type AdmissionPolicy = z.infer<typeof AdmissionPolicy>;

/** Operator: GET/PUT /api/events/:event_id/admission-policy */
export const AdmissionPolicyView = z.object({
  event_id: z.uuid(),
  policy: AdmissionPolicy,
  /** False: nothing stored, the default single entry applies. */
  custom: z.boolean(),
  updated_at: z.string().nullable(),
});
export type AdmissionPolicyView = z.infer<typeof AdmissionPolicyView>;

// ---- hall manifest and per-event seat deltas ---------------------------------

export const ManifestEvent = z.object({
  event_id: z.uuid(),
  name: z.string(),
  event_date: z.string(),
  /** The event's current change sequence: pull seats when it exceeds the gate's cursor. */
  seq: z.number().int(),
  /** Gate keys of this event, each sealed to this device's box key. */
  gate_keys: z.array(z.object({ kid: z.string(), sealed: z.string() })),
  /** The event's admission policy; null (and from older servers absent): single entry. */
  admission_policy: AdmissionPolicy.nullable().default(null),
});

/**
 * One link of the sync key chain: a key, and the signature of the key it replaced
 * over it (null for the first key). The manifest lists the chain oldest first; its
 * last entry is the key that signs now.
 */
export const SyncKeyLink = z.object({
  public_key: z.string(),
  endorsed_by: z
    .string()
    .regex(/^[0-9a-f]{8}$/)
    .nullable(),
  endorsement: z.string().nullable(),
});
export type SyncKeyLink = z.infer<typeof SyncKeyLink>;
/** A hall by code and name, so a gate can send a fan to the right door by name. */
export const HallName = z.object({ hall_id: HallCode, hall_name: z.string(), venue_name: z.string() });
export type HallName = z.infer<typeof HallName>;

/** Gate: GET /api/sync/hall — the hall, its current and upcoming events, keys. */
export const HallManifest = z.object({
  hall_id: HallCode,
  hall_name: z.string(),
  venue_name: z.string(),
  /** Every hall's names (a WRONG_HALL verdict says "Send to Esplanade Theatre, Hall B"); empty from older servers. */
  halls: z.array(HallName).default([]),
  device_id: z.uuid(),
  device_name: z.string(),
  /** Encoded public issuing keys (encodeIssuingPublicKey) still valid. */
  issuing_keys: z.array(z.string()),
  /** The sync key chain (rotation): a gate follows it from its pinned key, link by link. */
  sync_keys: z.array(SyncKeyLink).min(1),
  events: z.array(ManifestEvent),
  /**
   * This device's certificate for the hall mesh (docs/mesh.md), signed with the
   * active sync key, issued afresh with every manifest; null until the gate has
   * registered a mesh key (POST /api/sync/mesh-key, or `mesh_public_key` at enrolment).
   */
  device_cert: z.string().nullable().default(null),
  /** Revoked devices of this hall: their certificates are refused by the mesh from now on. */
  revoked_devices: z.array(z.uuid()).default([]),
  server_time: z.string(),
});
export type HallManifest = z.infer<typeof HallManifest>;

/**
 * One seat as a tuple, to keep a 100,000-seat snapshot small:
 * [seat_id, row, number, category, status, generation, holder_name, admitted_at, admitted_by, admitted_device_id]
 * The admission columns describe the canonical first admission (null when none);
 * admitted_device_id is null for online staff. Gates compare admissions by device
 * id, never by name: names are not unique.
 */
export const SeatTuple = z.tuple([
  z.uuid(),
  z.string(),
  z.number().int(),
  z.string(),
  SeatStatus,
  z.number().int(),
  z.string().nullable(),
  z.string().nullable(),
  z.string().nullable(),
  z.uuid().nullable(),
]);
export type SeatTuple = z.infer<typeof SeatTuple>;

/** Gate: GET /api/sync/events/:event_id/seats?since=N — since=0 is the full snapshot. */
export const SeatDeltaQuery = z.object({ since: z.coerce.number().int().min(0).default(0) });
export const SeatDelta = z.object({
  event_id: z.uuid(),
  /** The device the delta was read for: a delta for another gate is refused. */
  device_id: z.uuid(),
  since: z.number().int(),
  /** New cursor: the event's seq as of this snapshot/delta. */
  cursor: z.number().int(),
  full: z.boolean(),
  seats: z.array(SeatTuple),
  server_time: z.string(),
});
export type SeatDelta = z.infer<typeof SeatDelta>;

// ---- scan upload -------------------------------------------------------------

export const UploadedScan = z.object({
  /** Gate-generated id (UUID): uploads are idempotent on (device, client_scan_id). */
  client_scan_id: z.uuid(),
  event_id: z.uuid().nullable(),
  seat_id: z.uuid().nullable(),
  generation: z.number().int().nullable(),
  hall_id: HallCode.nullable(),
  result: ScanResult,
  reason: z.string().max(200).nullable(),
  /** Device clock at the scan, corrected by the gate's known offset (ISO 8601 UTC). */
  scanned_at: z.string(),
  /**
   * Upload version 2: the scanned credential text (Base32, as the verifier
   * accepted it) — the proof of a SUCCESS. The server replays the admission on
   * it and stores a SUCCESS without a valid one as a rejected upload. Null for
   * other verdicts (a gate sends no more than a SUCCESS needs). 258 characters
   * for a v1 credential, 426 for a device-bound code (docs/qr-format.md).
   */
  credential: z.string().min(1).max(512).nullable().optional(),
  /** Entry or exit; absent (older gates): entry. An exit's verdict is EXITED or NOT_INSIDE. */
  direction: Direction.optional(),
  /**
   * When the gate annulled this admission (ISO 8601 UTC): the turnstile opened
   * but nobody passed. An annulled SUCCESS does not count (the seat is admissible
   * again); sent again with this set after an earlier upload without it.
   */
  annulled_at: z.string().nullable().optional(),
});
export type UploadedScan = z.infer<typeof UploadedScan>;

/** The scan upload format this protocol speaks: 2 adds `credential` to every SUCCESS (docs/sync-protocol.md). */
export const SCAN_UPLOAD_VERSION = 2;

/** Gate: POST /api/sync/scans */
export const ScanUploadRequest = z.object({
  /** 1 (no proofs: every SUCCESS is rejected as `no_proof`) or 2. */
  version: z.union([z.literal(1), z.literal(2)]).default(1),
  scans: z.array(UploadedScan).max(1000),
  /** Scans still waiting on the gate after this batch. */
  backlog: z.number().int().min(0),
  /** The gate's current estimate of server minus gate clock (ms), null before it has one. Shown to operators. */
  clock_offset_ms: z.number().int().nullable(),
  /** The gate's verdict on what it received lately, shown to operators (an empty batch carries it when it changes). */
  sync_integrity: z.object({ state: SyncIntegrity, message: z.string().max(300).nullable(), at: z.string().nullable() }).optional(),
});
export type ScanUploadRequest = z.infer<typeof ScanUploadRequest>;
/** `admitted_by` of an admission made by staff through the online /api/verify. */
export const ONLINE_ADMITTED_BY = 'online (staff)';
export const Admission = z.object({
  event_id: z.uuid(),
  seat_id: z.uuid(),
  scanned_at: z.string(),
  device_id: z.uuid().nullable(),
  /** Gate name or "online (staff)". */
  admitted_by: z.string(),
});
export type Admission = z.infer<typeof Admission>;
export const ScanUploadResponse = z.object({
  /** Stored (now or by an earlier upload): the gate may mark them uploaded. */
  accepted: z.array(z.uuid()),
  /** This gate's admissions that lost to an earlier admission of the same seat. */
  conflicts: z.array(z.object({ client_scan_id: z.uuid(), seat_id: z.uuid(), canonical: Admission })),
  /**
   * Scans the server will never count (an admission without a valid proof, of a
   * seat it does not know or of another hall, an unreadable scan time). The
   * server keeps them as rejected uploads for operators; for the gate they are
   * final: mark them done, do not resend. `reason` is `code: detail`, the code one
   * of admission.UPLOAD_REJECTIONS.
   */
  rejected: z.array(z.object({ client_scan_id: z.uuid(), reason: z.string() })).default([]),
  server_time: z.string(),
});
export type ScanUploadResponse = z.infer<typeof ScanUploadResponse>;

// ---- live stream (SSE: GET /api/sync/stream) ---------------------------------
// Each message is `id: <index>`, `event: <name>`, then two data lines: the
// signature (`<kid>.<sig>`, over the stream's nonce, the index, the name and the
// JSON) and the JSON message itself. Indexes start at 0 and go up by one.

/** `event: admission` — a canonical admission anywhere in the hall. */
export const AdmissionMessage = Admission;
/** `event: seats` — seats of an event changed; pull a delta past `seq`. */
export const SeatsChangedMessage = z.object({ event_id: z.uuid(), seq: z.number().int() });
/** `event: revoked` — this device was revoked; stop syncing. */
export const RevokedMessage = z.object({ device_id: z.uuid() });
/**
 * `event: manifest` — the hall manifest changed (a key was rotated): pull
 * GET /api/sync/hall again now, so codes made with the new key verify offline.
 */
export const ManifestChangedMessage = z.object({ reason: z.enum(['keys']) });
/** `event: hello` — first message, with server time. */
export const HelloMessage = z.object({ device_id: z.uuid(), server_time: z.string() });

// ---- operator views (role operator or above) ----------------------------------

export const DeviceStatus = z.enum(['ACTIVE', 'REVOKED']);
/** GET /api/sync/devices, POST /api/sync/devices/:device_id/revoke */
export const DeviceView = z.object({
  device_id: z.uuid(),
  name: z.string(),
  hall_id: HallCode,
  status: DeviceStatus,
  last_seen_at: z.string().nullable(),
  /** Scans waiting on the gate, as of its last upload. */
  backlog: z.number().int().nullable(),
  /** Server clock minus gate clock (ms; gate time + offset = server time), as the gate last reported it. */
  clock_offset_ms: z.number().int().nullable(),
  app_version: z.string().nullable(),
  enrolled_at: z.string(),
  revoked_at: z.string().nullable(),
  /** Uploaded scans the server refused to count (no valid proof, another hall, …): each one is kept with its reason. */
  rejected_uploads: z.number().int(),
  /** As the gate last reported it: `refused` means it refused sync data that failed verification (tampering). */
  sync_integrity: SyncIntegrity.nullable(),
  sync_integrity_message: z.string().nullable(),
  sync_integrity_at: z.string().nullable(),
});
export type DeviceView = z.infer<typeof DeviceView>;
export const DeviceListQuery = z.object({
  hall_id: HallCode.optional(),
  status: DeviceStatus.optional(),
});

/** Admin: POST /api/sync/keys/rotate — the sync key replaced, endorsed by the previous one. */
export const SyncKeyRotation = z.object({
  previous_kid: z.string(),
  kid: z.string(),
  rotated_at: z.string(),
});

/** GET /api/sync/conflicts?event_id= — double admissions, both sides. */
export const EventQuery = z.object({ event_id: z.uuid() });
export const ConflictView = z.object({
  scan_id: z.uuid(),
  event_id: z.uuid(),
  seat_id: z.uuid(),
  row: z.string(),
  number: z.number().int(),
  category: z.string(),
  /** The later admission, recorded as the conflict. */
  conflict: Admission.extend({ received_at: z.string() }),
  /** The first admission of the seat. */
  canonical: Admission,
});
export type ConflictView = z.infer<typeof ConflictView>;

/**
 * GET /api/sync/occupancy?event_id= — people inside now, per hall and zone:
 * counted entries (admissions and re-entries, not annulled) minus exits. Scans at
 * a gate without a zone count in the hall only.
 */
export const OccupancyView = z.object({
  event_id: z.uuid(),
  halls: z.array(
    z.object({
      hall_id: HallCode,
      hall_name: z.string(),
      inside: z.number().int(),
      entries: z.number().int(),
      exits: z.number().int(),
      zones: z.array(z.object({ zone: z.string(), inside: z.number().int() })),
    }),
  ),
});
export type OccupancyView = z.infer<typeof OccupancyView>;

/** GET /api/sync/stats?event_id= — scans per gate by verdict. */
export const GateCounts = z.object({
  /** Null for online staff verification. */
  device_id: z.uuid().nullable(),
  name: z.string(),
  total: z.number().int(),
  conflicts: z.number().int(),
  /** Uploads of this event the server refused to count (not in `total`). */
  rejected: z.number().int(),
  by_result: z.record(ScanResult, z.number().int()),
  /**
   * This gate's scans whose verdict names no event (a code that could not be
   * read): /metrics counts them, but they belong to no event's `total`.
   */
  no_event: z.number().int(),
});
export const GateStats = z.object({
  event_id: z.uuid(),
  hall_id: HallCode,
  gates: z.array(GateCounts),
  server_time: z.string(),
});
export type GateStats = z.infer<typeof GateStats>;
