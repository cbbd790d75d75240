import type { Queryable } from '../db/pool.js';

export interface SmsMessage {
  userId: string | null;
  phone: string;
  text: string;
}

/**
 * Where one-time codes go. Production plugs a real SMS gateway in here; the
 * development provider keeps an outbox that operators read at GET /api/ops/outbox.
 * `send` receives the transaction's client so an outbox row commits with the
 * challenge it announces (and disappears if that transaction rolls back).
 */
export interface SmsProvider {
  readonly name: string;
  send(db: Queryable, msg: SmsMessage): Promise<void>;
}

export const outboxSmsProvider: SmsProvider = {
  name: 'outbox',
  async send(db, msg) {
    await db.query('INSERT INTO sms_outbox (user_id, phone, body) VALUES ($1, $2, $3)', [msg.userId, msg.phone, msg.text]);
  },
};
