import { z } from 'zod';
import type { Queryable } from '../../db/pool.js';

/** The one NOTIFY channel every server instance LISTENs on (see migration 0002_sync_live). */
export const LIVE_CHANNEL = 'tg_live';

const SeatsNotice = z.object({ k: z.literal('seats'), hall: z.string(), event_id: z.string(), seq: z.number() });
const AdmissionNotice = z.object({
  k: z.literal('admission'),
  hall: z.string(),
  event_id: z.string(),
  seat_id: z.string(),
  scanned_at: z.string(),
  device_id: z.string().nullable(),
  device_name: z.string().nullable(),
});
const RevokedNotice = z.object({ k: z.literal('revoked'), device_id: z.string() });
/** A session ended (logout, refresh reuse, role change, disabled account): instances drop their cached copy. */
const SessionNotice = z.object({ k: z.literal('session'), session_id: z.string() });
const LiveNotice = z.discriminatedUnion('k', [SeatsNotice, AdmissionNotice, RevokedNotice, SessionNotice]);

export type SeatsNotice = z.infer<typeof SeatsNotice>;
export type AdmissionNotice = z.infer<typeof AdmissionNotice>;
export type RevokedNotice = z.infer<typeof RevokedNotice>;
export type SessionNotice = z.infer<typeof SessionNotice>;
export type LiveNotice = z.infer<typeof LiveNotice>;
/** What a gate's live stream carries. */
export type GateNotice = Exclude<LiveNotice, SessionNotice>;

/** Payloads come from our own triggers, but a malformed one must not break the fan-out. */
export function parseNotice(payload: string | undefined): LiveNotice | undefined {
  if (!payload) return undefined;
  try {
    const parsed = LiveNotice.safeParse(JSON.parse(payload));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Announces a revocation. Call inside the revoking transaction: NOTIFY is
 * delivered at commit, so a rolled-back revocation never closes a stream.
 */
export async function notifyRevoked(db: Queryable, deviceId: string): Promise<void> {
  const notice: RevokedNotice = { k: 'revoked', device_id: deviceId };
  await db.query('SELECT pg_notify($1, $2)', [LIVE_CHANNEL, JSON.stringify(notice)]);
}
