import { deviceKeyField, issuePass, PASS_BYTES, STEP_SECONDS, toBase64Url, type DeviceKeyAlgorithm } from '@ticketgate/crypto';
import type { AppContext } from '../../context.js';
import { withTransaction, type Queryable } from '../../db/pool.js';
import { recordAudit } from '../audit/audit-log.js';
import { DomainError } from '../errors.js';

export interface DeviceKeyInput {
  userId: string;
  /** The caller's role, for the audit row. */
  role: string;
  seatId: string;
  algorithm: DeviceKeyAlgorithm;
  /** The public key as WebCrypto exports it ('raw'). */
  publicKey: Uint8Array;
  /** Move the ticket to this device although another one holds it: the explicit step that ends the other phone's pass. */
  replace: boolean;
}

export interface TicketPass {
  pass: Uint8Array;
  generation: number;
  validFrom: Date;
  validUntil: Date;
  stepSeconds: number;
  /** What the call changed: a first binding, a move from another phone, or nothing (the same key again). */
  binding: 'bound' | 'rebound' | 'unchanged';
}

interface SeatRow {
  status: string;
  owner_user_id: string | null;
  event_id: string;
  hall_id: string;
  generation: number;
  valid_from: Date;
  valid_until: Date;
}

interface BindingRow {
  id: string;
  user_id: string;
  public_key: string;
  generation: number;
}

/**
 * Binds a phone's public key to the caller's ticket and issues the pass for it
 * (docs/qr-format.md, "Device-bound code"). One phone per ticket at a time: the
 * same key again only reissues the pass; another key is refused unless
 * `replace` is set, and then the seat's generation is bumped so the old pass is
 * refused everywhere a transfer's old codes are. The seat row is locked for the
 * whole decision, so two phones racing to bind cannot both win.
 */
export async function bindDevice(ctx: AppContext, input: DeviceKeyInput): Promise<TicketPass> {
  let field: Uint8Array;
  try {
    field = deviceKeyField(input.algorithm, input.publicKey);
  } catch (err) {
    throw new DomainError('VALIDATION_ERROR', `The device public key is not a valid ${input.algorithm} key.`, [
      { field: 'body.public_key', message: (err as Error).message },
    ]);
  }
  const key = toBase64Url(field);
  const bound = await withTransaction(ctx.pool, async (db) => {
    const seat = await lockSeat(db, input.seatId, ctx.config.ADMISSION_CLOSE_AFTER_HOURS);
    if (!seat) throw new DomainError('SEAT_NOT_FOUND');
    if (seat.owner_user_id !== input.userId) throw new DomainError('NOT_SEAT_OWNER');
    if (seat.status !== 'SOLD') throw new DomainError('SEAT_UNAVAILABLE', 'This ticket has already been used to enter.');
    if (seat.valid_until.getTime() <= ctx.now()) throw new DomainError('EVENT_ENDED');

    const live = await liveBinding(db, input.seatId);
    // A binding counts only for the holder and generation it was made for: a transfer or reissue since ended it.
    const current = live && live.user_id === input.userId && live.generation === seat.generation ? live : null;
    if (current && current.public_key === key) return { seat, binding: 'unchanged' as const };
    if (current && !input.replace) {
      throw new DomainError('DEVICE_ALREADY_BOUND', 'This ticket is shown on another phone. Move it to this phone to use it here.');
    }
    let generation = seat.generation;
    if (live)
      await db.query(`UPDATE device_bindings SET ended_at = now(), ended_reason = $2 WHERE id = $1`, [
        live.id,
        current ? 'rebound' : 'superseded',
      ]);
    if (current) {
      const { rows } = await db.query<{ generation: number }>(
        'UPDATE seats SET generation = generation + 1 WHERE id = $1 RETURNING generation',
        [input.seatId],
      );
      generation = rows[0]!.generation;
    }
    await db.query(`INSERT INTO device_bindings (seat_id, user_id, algorithm, public_key, generation) VALUES ($1, $2, $3, $4, $5)`, [
      input.seatId,
      input.userId,
      input.algorithm,
      key,
      generation,
    ]);
    await recordAudit(db, {
      actor: { id: input.userId, role: input.role },
      action: current ? 'ticket.device_rebind' : 'ticket.device_bind',
      targetType: 'seat',
      targetId: input.seatId,
      details: { algorithm: input.algorithm, generation },
    });
    return { seat: { ...seat, generation }, binding: current ? ('rebound' as const) : ('bound' as const) };
  });

  const { seat } = bound;
  const validFrom = Math.floor(seat.valid_from.getTime() / 1000);
  const validUntil = Math.floor(seat.valid_until.getTime() / 1000);
  const pass = issuePass(
    {
      seatId: input.seatId,
      eventId: seat.event_id,
      hallCode: seat.hall_id,
      generation: seat.generation,
      validFrom,
      validUntil,
      device: { algorithm: input.algorithm, publicKey: input.publicKey },
    },
    { issuing: await ctx.keys.activeIssuingKey(), gate: await ctx.keys.gateKeyFor(seat.event_id) },
  );
  if (pass.length !== PASS_BYTES) throw new Error('pass has the wrong length');
  return {
    pass,
    generation: seat.generation,
    validFrom: new Date(validFrom * 1000),
    validUntil: new Date(validUntil * 1000),
    stepSeconds: STEP_SECONDS,
    binding: bound.binding,
  };
}

/**
 * The seat, locked, with the window its pass covers: from the event's own
 * admission opening (else from now: the pass is made now) until its admission
 * close (else event_date + ADMISSION_CLOSE_AFTER_HOURS), the same window the
 * server judges gate uploads by.
 */
async function lockSeat(db: Queryable, seatId: string, closeAfterHours: number): Promise<SeatRow | undefined> {
  const { rows } = await db.query<SeatRow>(
    `SELECT s.status, s.owner_user_id, s.event_id, e.hall_id, s.generation,
            COALESCE(e.admission_opens_at, now()) AS valid_from,
            COALESCE(e.admission_closes_at, e.event_date + make_interval(hours => $2)) AS valid_until
       FROM seats s JOIN events e ON e.id = s.event_id
      WHERE s.id = $1
      FOR UPDATE OF s`,
    [seatId, closeAfterHours],
  );
  return rows[0];
}

async function liveBinding(db: Queryable, seatId: string): Promise<BindingRow | undefined> {
  const { rows } = await db.query<BindingRow>(
    'SELECT id, user_id, public_key, generation FROM device_bindings WHERE seat_id = $1 AND ended_at IS NULL',
    [seatId],
  );
  return rows[0];
}
