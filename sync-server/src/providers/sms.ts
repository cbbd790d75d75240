import twilio from 'twilio';
import type { Config } from '../config.js';
import type { Pool } from '../db/pool.js';
import { DomainError } from '../domain/errors.js';

export interface SmsMessage {
  userId: string | null;
  phone: string;
  text: string;
}

/**
 * Where one-time codes go: to the person's phone through Twilio, or — in
 * development and tests only — into the outbox table that admins read at
 * GET /api/ops/outbox. Callers send only after the transaction that created
 * the challenge has committed (domain/otp/otp-service.ts deliverOtps), so no
 * network call to the provider ever holds a row lock.
 */
export interface SmsProvider {
  readonly name: 'twilio' | 'outbox';
  send(msg: SmsMessage): Promise<void>;
}

export function outboxSmsProvider(pool: Pool): SmsProvider {
  return {
    name: 'outbox',
    async send(msg) {
      await pool.query('INSERT INTO sms_outbox (user_id, phone, body) VALUES ($1, $2, $3)', [msg.userId, msg.phone, msg.text]);
    },
  };
}

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
    async send(msg) {
      try {
        await client.messages.create({ to: msg.phone, body: msg.text, ...sender });
      } catch (err) {
        // The caller withdraws the challenge (and ends the flow it was for): no code is pending that was never delivered.
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
export function createSmsProvider(config: Config, pool: Pool): SmsProvider {
  return config.SMS_PROVIDER === 'twilio' ? twilioSmsProvider(config) : outboxSmsProvider(pool);
}
