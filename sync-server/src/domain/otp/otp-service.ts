import { generateOtp, hashOtp, verifyOtp } from '@ticketgate/crypto';
import type { Pool, Queryable } from '../../db/pool.js';
import { withTransaction } from '../../db/pool.js';
import type { ErrorCode } from '@ticketgate/protocol';
import { DomainError } from '../errors.js';
import type { SmsMessage, SmsProvider } from '../../providers/sms.js';

export type OtpContext = 'purchase' | 'transfer';

export const OTP_TTL_SECONDS = 300;
export const OTP_MAX_ATTEMPTS = 3;

export interface OtpDeps {
  sms: SmsProvider;
  pepper: string;
  /** Codes a user may be sent per minute (all contexts). */
  sendsPerMinute: number;
  now(): number;
}

/** A challenge committed with its flow, and the text that announces its code (sent by deliverOtps after the commit). */
export interface IssuedOtp {
  challengeId: string;
  expiresAt: Date;
  sms: SmsMessage;
}

/**
 * Creates a challenge for (user, context, reference) — superseding any pending
 * one — and returns the message to send. Call inside the transaction of the
 * flow that needs it, then deliverOtps after that transaction has committed:
 * a provider's network call (with its retries) never runs while the flow holds
 * its seat, order or transfer rows locked, and nothing is sent for a flow that
 * rolled back.
 */
export async function issueOtp(
  db: Queryable,
  deps: Pick<OtpDeps, 'pepper' | 'sendsPerMinute' | 'now'>,
  input: { userId: string; phone: string; context: OtpContext; referenceId: string; purpose: string },
): Promise<IssuedOtp> {
  const now = new Date(deps.now());
  const recent = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM otp_challenges WHERE user_id = $1 AND created_at > $2::timestamptz - interval '1 minute'`,
    [input.userId, now],
  );
  if ((recent.rows[0]?.n ?? 0) >= deps.sendsPerMinute) {
    throw new DomainError('RATE_LIMITED', 'Too many codes requested. Wait a minute and try again.');
  }
  await db.query(
    `UPDATE otp_challenges SET status = 'SUPERSEDED'
      WHERE user_id = $1 AND context = $2 AND reference_id = $3 AND status = 'PENDING'`,
    [input.userId, input.context, input.referenceId],
  );
  const code = generateOtp();
  const expiresAt = new Date(now.getTime() + OTP_TTL_SECONDS * 1000);
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO otp_challenges (user_id, context, reference_id, code_hash, max_attempts, expires_at, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
    [input.userId, input.context, input.referenceId, hashOtp(code, deps.pepper), OTP_MAX_ATTEMPTS, expiresAt, now],
  );
  const text = `TicketGate: ${code} is your code to ${input.purpose}. It expires in 5 minutes. Never share it.`;
  return { challengeId: rows[0]!.id, expiresAt, sms: { userId: input.userId, phone: input.phone, text } };
}

/**
 * Sends committed challenges' codes. When a send fails, every challenge of the
 * batch that is still pending is withdrawn (SUPERSEDED, so no code is pending
 * that its owner never got) and `onFailure` ends the flow in the same
 * transaction; then the provider's error (SERVICE_UNAVAILABLE) is thrown.
 */
export async function deliverOtps(
  pool: Pool,
  sms: SmsProvider,
  issued: readonly IssuedOtp[],
  onFailure?: (db: Queryable) => Promise<unknown>,
): Promise<void> {
  try {
    for (const otp of issued) await sms.send(otp.sms);
  } catch (err) {
    await withTransaction(pool, async (db) => {
      await db.query(`UPDATE otp_challenges SET status = 'SUPERSEDED' WHERE id = ANY($1::uuid[]) AND status = 'PENDING'`, [
        issued.map((o) => o.challengeId),
      ]);
      await onFailure?.(db);
    });
    throw err;
  }
}

export type OtpCheck = { ok: true; challengeId: string } | { ok: false; code: Extract<ErrorCode, `OTP_${string}`>; attemptsLeft?: number };

/**
 * Checks a code against the pending challenge in its own transaction, so a
 * wrong attempt is counted even though the caller then fails the request.
 * The third wrong attempt fails the challenge (OTP_MAX_RETRIES); callers cancel their flow.
 */
export async function checkOtp(
  pool: Pool,
  deps: Pick<OtpDeps, 'pepper' | 'now'>,
  input: { userId: string; context: OtpContext; referenceId: string; code: string },
): Promise<OtpCheck> {
  return withTransaction(pool, async (db) => {
    const { rows } = await db.query<{
      id: string;
      code_hash: string;
      attempts: number;
      max_attempts: number;
      expires_at: Date;
      status: string;
    }>(
      `SELECT id, code_hash, attempts, max_attempts, expires_at, status FROM otp_challenges
        WHERE user_id = $1 AND context = $2 AND reference_id = $3 AND status IN ('PENDING', 'FAILED', 'VERIFIED')
        ORDER BY created_at DESC LIMIT 1 FOR UPDATE`,
      [input.userId, input.context, input.referenceId],
    );
    const c = rows[0];
    if (!c) return { ok: false, code: 'OTP_INVALID' };
    if (c.status === 'VERIFIED') return { ok: true, challengeId: c.id };
    if (c.status === 'FAILED' || c.attempts >= c.max_attempts) return { ok: false, code: 'OTP_MAX_RETRIES' };
    if (c.expires_at.getTime() <= deps.now()) return { ok: false, code: 'OTP_EXPIRED' };
    if (verifyOtp(input.code, c.code_hash, deps.pepper)) {
      await db.query(`UPDATE otp_challenges SET status = 'VERIFIED', verified_at = $2 WHERE id = $1`, [c.id, new Date(deps.now())]);
      return { ok: true, challengeId: c.id };
    }
    const attempts = c.attempts + 1;
    const exhausted = attempts >= c.max_attempts;
    await db.query(`UPDATE otp_challenges SET attempts = $2, status = $3 WHERE id = $1`, [
      c.id,
      attempts,
      exhausted ? 'FAILED' : 'PENDING',
    ]);
    return exhausted ? { ok: false, code: 'OTP_MAX_RETRIES' } : { ok: false, code: 'OTP_INVALID', attemptsLeft: c.max_attempts - attempts };
  });
}
