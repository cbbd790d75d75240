import twilio from 'twilio';
import type { Config } from '../config.js';
import type { Queryable } from '../db/pool.js';
import { DomainError } from '../domain/errors.js';

export interface SmsMessage {
  userId: string | null;
  phone: string;
  text: string;
}

/**
 * Where one-time codes go: to the person's phone through Twilio, or — in
 * development and tests only — into the outbox table that admins read at
 * GET /api/ops/outbox. `send` receives the transaction's client so an outbox
 * row commits with the challenge it announces (and disappears if that
 * transaction rolls back).
 */
export interface SmsProvider {
  readonly name: 'twilio' | 'outbox';
  send(db: Queryable, msg: SmsMessage): Promise<void>;
}

export const outboxSmsProvider: SmsProvider = {
  name: 'outbox',
  async send(db, msg) {
    await db.query('INSERT INTO sms_outbox (user_id, phone, body) VALUES ($1, $2, $3)', [msg.userId, msg.phone, msg.text]);
  },
};

export type TwilioSettings = Pick<
  Config,
  'TWILIO_ACCOUNT_SID' | 'TWILIO_AUTH_TOKEN' | 'TWILIO_FROM' | 'TWILIO_MESSAGING_SERVICE_SID' | 'TWILIO_API_URL'
>;

/**
 * Twilio's official SDK, sending through the Messages API. Nothing of the text
 * is stored or logged here: the code exists only in the message to the phone
 * (and, hashed, in its challenge). TWILIO_API_URL points the SDK at another
 * base URL (the local stand-in of providers/twilio-standin.ts).
 */
export function twilioSmsProvider(s: TwilioSettings): SmsProvider {
  if (!s.TWILIO_ACCOUNT_SID || !s.TWILIO_AUTH_TOKEN)
    throw new Error('twilioSmsProvider: TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN are required');
  const client = twilio(s.TWILIO_ACCOUNT_SID, s.TWILIO_AUTH_TOKEN, { autoRetry: true, maxRetries: 2 });
  if (s.TWILIO_API_URL) client.api.baseUrl = s.TWILIO_API_URL;
  const sender = s.TWILIO_MESSAGING_SERVICE_SID ? { messagingServiceSid: s.TWILIO_MESSAGING_SERVICE_SID } : { from: s.TWILIO_FROM! };
  return {
    name: 'twilio',
    async send(_db, msg) {
      try {
        await client.messages.create({ to: msg.phone, body: msg.text, ...sender });
      } catch (err) {
        // The flow's transaction rolls back: no challenge exists for a code that was never delivered.
        const status = (err as { status?: number }).status;
        throw new DomainError(
          'SERVICE_UNAVAILABLE',
          `The SMS could not be sent${status ? ` (provider answered ${status})` : ''}. Try again.`,
        );
      }
    },
  };
}

/** The provider the config names (loadConfig has already refused the outbox in production). */
export function createSmsProvider(config: Config): SmsProvider {
  return config.SMS_PROVIDER === 'twilio' ? twilioSmsProvider(config) : outboxSmsProvider;
}
