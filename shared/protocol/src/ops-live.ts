import { z } from 'zod';
import { HallCode } from './sync.js';
import { ScanResult } from './verdicts.js';

/**
 * The operator console's live door stream (GET /api/ops/live, server-sent
 * events). A browser's EventSource cannot send an Authorization header, so the
 * console first trades its access token for a stream ticket (POST
 * /api/ops/live/tickets): a signed token good only for opening this stream,
 * for a minute, for the session that asked for it. Identity, role and venues
 * come from that ticket's session when the stream opens, never from the query.
 */

/** POST /api/ops/live/tickets — answer. */
export const LiveTicket = z.object({
  ticket: z.string(),
  expires_at: z.string(),
});
export type LiveTicket = z.infer<typeof LiveTicket>;

/** GET /api/ops/live — query. */
export const LiveQuery = z.object({
  event_id: z.uuid(),
  ticket: z.string().min(16).max(4096),
});

/** How many whole minutes the admission series cover, the current minute last. */
export const LIVE_WINDOW_MINUTES = 30;

/** Counts per minute, aligned with LiveSnapshot.minutes. */
const PerMinute = z.array(z.number().int().nonnegative());

export const LiveGateSeries = z.object({
  /** Null for online staff verification. */
  device_id: z.uuid().nullable(),
  name: z.string(),
  admissions: PerMinute,
  /** Admissions of the event at this gate, all time. */
  total: z.number().int(),
});

export const LiveHallSeries = z.object({
  hall_id: HallCode,
  hall_name: z.string(),
  admissions: PerMinute,
  total: z.number().int(),
});

export const InvalidCount = z.object({ result: ScanResult.exclude(['SUCCESS']), count: z.number().int() });

export const RejectedUploads = z.object({
  device_id: z.uuid(),
  name: z.string(),
  /** Why the server refused to count them (no_proof, wrong_hall, unknown_seat, …). */
  reason_code: z.string(),
  count: z.number().int(),
  last_received_at: z.string(),
});

/**
 * `event: snapshot` — the door figures of the event as of `server_time`. Sent
 * when the stream opens and again whenever they change: at once on an
 * admission (any instance), within the server's poll interval for anything else.
 */
export const LiveSnapshot = z.object({
  event_id: z.uuid(),
  server_time: z.string(),
  /** Start of each minute of the series (UTC, ISO 8601), oldest first. */
  minutes: z.array(z.string()),
  /** The event's hall (an event is in one hall): every gate's and online staff's admissions together. */
  halls: z.array(LiveHallSeries),
  /** Every active gate of the hall (idle ones with zeros), and online staff when they admitted anyone. */
  gates: z.array(LiveGateSeries),
  /** Refused scans of the event by verdict, all time. */
  invalid: z.array(InvalidCount),
  /** Scans whose code named no event (unreadable) at the hall's gates, all time. */
  unreadable: z.number().int(),
  /** Double admissions of the event. */
  conflicts: z.number().int(),
  rejected_uploads: z.array(RejectedUploads),
});
export type LiveSnapshot = z.infer<typeof LiveSnapshot>;

/** `event: closed` — the stream ends (the session ended or lost its access); open a new one after logging in again. */
export const LiveClosed = z.object({ reason: z.enum(['session_ended', 'server_stopping']) });
export type LiveClosed = z.infer<typeof LiveClosed>;
