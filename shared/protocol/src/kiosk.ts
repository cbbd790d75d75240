import { z } from 'zod';
import { Direction, SeatStatus } from './sync.js';
import { ScanResult } from './verdicts.js';

/**
 * The gate's local HTTP API (the kiosk UI, the CLI's --http, tests): bound to
 * 127.0.0.1 on the gate, never the hall network. The engine validates requests
 * and types its replies with these schemas; the renderer parses every reply with
 * them. Times are ISO 8601 UTC strings (null when unknown).
 *
 * Every API request carries the launch token (`Authorization: Bearer <token>`,
 * LOCAL_API_TOKEN_HEADER), an allowed Host (127.0.0.1, localhost or [::1] with
 * the port) and, when it has an Origin, the gate's own; bodies are
 * `application/json`. The kiosk UI's static files need no token.
 */

/** The file in the gate's data folder that holds the launch token (mode 0600). */
export const LOCAL_API_TOKEN_FILE = 'local-api-token';
/** The `<meta name=…>` the engine injects into the kiosk page it serves, carrying the launch token. */
export const LOCAL_API_TOKEN_META = 'ticketgate-local-api-token';

const IsoTime = z.string();
const MaybeTime = IsoTime.nullable();

/** POST /scan */
export const ScanRequest = z.object({
  payload: z.string().min(1).max(4096),
  /** Where the scan came from (wedge, manual, camera, …), kept in the scan log. */
  source: z.string().min(1).max(40).optional(),
  /** Entry (default: the gate's own direction) or exit. */
  direction: Direction.optional(),
});
export type ScanRequest = z.infer<typeof ScanRequest>;

/** POST /scan → 200: the verdict, recorded before it is answered. */
export const VerdictReply = z.object({
  result: ScanResult,
  message: z.string(),
  reason: z.string().nullable(),
  scan_id: z.uuid(),
  scanned_at: IsoTime,
  seat_id: z.string().nullable(),
  row: z.string().nullable(),
  number: z.number().int().nullable(),
  category: z.string().nullable(),
  holder: z.string().nullable(),
  event_id: z.string().nullable(),
  event_name: z.string().nullable(),
  generation: z.number().int().nullable(),
  correct_hall: z.string().nullable(),
  /** WRONG_HALL: the names of the ticket's hall and venue, when this gate's manifest lists them. */
  correct_hall_name: z.string().nullable(),
  correct_venue_name: z.string().nullable(),
  first_admitted_at: MaybeTime,
  first_admitted_by: z.string().nullable(),
  direction: Direction.default('entry'),
  /** WRONG_ZONE: a zone of the event's admission policy the ticket may enter. */
  correct_zone: z.string().nullable().default(null),
  /** SUCCESS of a later entry (re-entry after an exit, a new day of a per-day event). */
  re_entry: z.boolean().default(false),
});
export type VerdictReply = z.infer<typeof VerdictReply>;

export const Connectivity = z.enum(['online', 'degraded', 'offline']);

/** GET /status */
export const GateStatus = z.object({
  device_id: z.string().nullable(),
  device_name: z.string().nullable(),
  hall_id: z.string().nullable(),
  hall_name: z.string().nullable(),
  venue_name: z.string().nullable(),
  server_url: z.string().nullable(),
  /** The venue's display zone (IANA): the kiosk shows every time in it, with its name. */
  time_zone: z.string(),
  enrolled: z.boolean(),
  enrolled_at: MaybeTime,
  revoked: z.boolean(),
  revoked_at: MaybeTime,
  revocation: z.string().nullable(),
  /** The server refused this device's token as unknown since the last good sync (deleted device, reset server): re-enrol. */
  device_unknown: z.boolean(),
  connectivity: Connectivity,
  link: z.object({
    last_success_at: MaybeTime,
    last_failure_at: MaybeTime,
    last_error: z.string().nullable(),
    consecutive_failures: z.number().int(),
    latency_ms: z.number().nullable(),
    stream_connected: z.boolean(),
  }),
  last_sync_at: MaybeTime,
  last_push_at: MaybeTime,
  /** Scans waiting for upload. */
  backlog: z.number().int(),
  rejected_uploads: z.number().int(),
  counts: z.record(ScanResult, z.number().int()),
  total_scans: z.number().int(),
  clock_offset_ms: z.number().nullable(),
  clock_warning: z.boolean(),
  clock_message: z.string().nullable(),
  clock_skew_ms: z.number(),
  /** A server time that would have moved the offset by more than the per-sync bound (ms of the refused jump), null when none pending. */
  clock_jump_refused_ms: z.number().nullable(),
  /** `refused`: sync data failed verification lately (a tampered or foreign reply); the gate decides on its last good snapshot. */
  sync_integrity: z.enum(['ok', 'refused']),
  sync_integrity_message: z.string().nullable(),
  sync_integrity_at: MaybeTime,
  /** Refusals since the gate started. */
  sync_refusals: z.number().int(),
  /** How the gate reaches its server: `http-insecure` only with --allow-insecure-http, and then warned about permanently. */
  transport: z.enum(['https', 'http-loopback', 'http-insecure']).nullable(),
  transport_warning: z.string().nullable(),
  conflicts: z.number().int(),
  recent_conflicts: z.array(
    z.object({
      client_scan_id: z.string(),
      seat_id: z.string(),
      event_id: z.string(),
      admitted_here_at: MaybeTime,
      canonical_at: MaybeTime,
      canonical_by: z.string(),
      recorded_at: MaybeTime,
    }),
  ),
  events: z.array(
    z.object({
      event_id: z.string(),
      name: z.string(),
      event_date: z.string(),
      listed: z.boolean(),
      cursor: z.number().int(),
      server_seq: z.number().int(),
      seats: z.number().int(),
      sold: z.number().int(),
      admitted: z.number().int(),
    }),
  ),
  keys: z.object({ gate: z.number().int(), issuing: z.number().int() }),
  /** The gate's direction for scans that do not name theirs (`--direction`). */
  direction: Direction.default('entry'),
  /**
   * People inside by this gate's journal (its own entries minus exits of the
   * events it lists, annulled admissions left out), per zone it stood at.
   */
  occupancy: z
    .object({
      inside: z.number().int(),
      entries: z.number().int(),
      exits: z.number().int(),
      zones: z.array(z.object({ zone: z.string(), inside: z.number().int() })),
    })
    .default({ inside: 0, entries: 0, exits: 0, zones: [] }),
  warnings: z.array(z.string()),
  problems: z.array(z.object({ at: MaybeTime, message: z.string() })),
});
export type GateStatus = z.infer<typeof GateStatus>;

/** GET /seats/:seat_id */
export const SeatReply = z.object({
  seat_id: z.string(),
  event_id: z.string(),
  row: z.string(),
  number: z.number().int(),
  category: z.string(),
  status: SeatStatus,
  generation: z.number().int(),
  holder: z.string().nullable(),
  admitted: z.boolean(),
  admitted_at: MaybeTime,
  admitted_by: z.string().nullable(),
  admitted_source: z.enum(['local', 'server']).nullable(),
});
export type SeatReply = z.infer<typeof SeatReply>;

/** GET /scans?limit=N (1–500, default 50): the latest scans, newest first, as the gate's journal holds them (times in epoch ms). */
export const ScansQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).catch(50) });
export const ScanLogEntry = z.object({
  seq: z.number().int(),
  client_scan_id: z.string(),
  device_time: z.number(),
  clock_offset_ms: z.number(),
  source: z.string(),
  result: ScanResult,
  reason: z.string().nullable(),
  event_id: z.string().nullable(),
  seat_id: z.string().nullable(),
  generation: z.number().int().nullable(),
  hall_id: z.string().nullable(),
  upload_state: z.enum(['pending', 'uploaded', 'conflict', 'rejected']),
  uploaded_at: z.number().nullable(),
  upload_note: z.string().nullable(),
  direction: Direction.default('entry'),
  /** When the admission was annulled (turnstile opened, nobody passed); epoch ms. */
  annulled_at: z.number().nullable().default(null),
  zone: z.string().nullable().default(null),
  entry_no: z.number().int().nullable().default(null),
});
export const ScansReply = z.array(ScanLogEntry);
export type ScanLogEntry = z.infer<typeof ScanLogEntry>;

/** POST /enrol: enrol from the kiosk screen, with a typed code or the operator's enrolment QR. */
export const KioskEnrolRequest = z.object({
  code: z.string().trim().min(6).max(64),
  /** Needed only when the gate does not know its server yet. */
  server_url: z.url({ protocol: /^https?$/ }).optional(),
  name: z.string().trim().min(1).max(64).optional(),
});
export type KioskEnrolRequest = z.infer<typeof KioskEnrolRequest>;
export const KioskEnrolReply = z.object({ device_id: z.string(), hall_id: z.string() });
export type KioskEnrolReply = z.infer<typeof KioskEnrolReply>;

/** POST /supervisor/unlock and /supervisor/relay-test: every supervisor action carries the PIN. */
export const SupervisorRequest = z.object({ pin: z.string().regex(/^\d{4,12}$/, 'the PIN is 4 to 12 digits') });
export type SupervisorRequest = z.infer<typeof SupervisorRequest>;
export const SupervisorReply = z.object({
  /** Whether this gate drives a turnstile relay that can be tested. */
  relay: z.boolean(),
  scanners: z.array(z.object({ id: z.string(), state: z.string(), detail: z.string().nullable() })),
});
export type SupervisorReply = z.infer<typeof SupervisorReply>;
export const RelayTestReply = z.object({ pulsed_at: IsoTime });
export type RelayTestReply = z.infer<typeof RelayTestReply>;

/** Error codes of the local API. */
export const KIOSK_ERROR_CODES = [
  'VALIDATION_ERROR',
  'INVALID_UUID',
  'SEAT_NOT_FOUND',
  'NOT_FOUND',
  'METHOD_NOT_ALLOWED',
  'PAYLOAD_TOO_LARGE',
  /** 415: a body that is not application/json (a form or text/plain POST from a web page). */
  'UNSUPPORTED_MEDIA_TYPE',
  /** 401: no launch token, or a wrong one. */
  'UNAUTHORISED',
  /** 403: a Host the gate does not answer to (DNS rebinding) or a foreign Origin. */
  'FORBIDDEN_HOST',
  'FORBIDDEN_ORIGIN',
  'NOT_ENROLLED',
  'ALREADY_ENROLLED',
  'ENROL_REFUSED',
  'SERVER_UNREACHABLE',
  'PIN_REFUSED',
  'PIN_LOCKED',
  'NO_SUPERVISOR_PIN',
  'NO_RELAY',
  'RELAY_FAILED',
  'INTERNAL_ERROR',
] as const;
export const KioskErrorCode = z.enum(KIOSK_ERROR_CODES);
export type KioskErrorCode = z.infer<typeof KioskErrorCode>;

/** Any non-200 reply of the local API. */
export const KioskError = z.object({ error: KioskErrorCode, message: z.string() });
export type KioskError = z.infer<typeof KioskError>;
