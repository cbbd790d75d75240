import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for the one Twilio call TicketGate makes — create a Message
 * (`POST /2010-04-01/Accounts/{sid}/Messages.json`, form-encoded, HTTP Basic
 * auth with the account SID and auth token) — so development and the tests run
 * the real `twilio` SDK end to end without an account or internet. Messages are
 * kept in this process's memory only (a development aid: they hold codes).
 * A `To` of +15005550009 is refused like an unreachable number.
 */
export interface SentSms {
  sid: string;
  to: string;
  from: string | null;
  messagingServiceSid: string | null;
  body: string;
}

export interface TwilioStandin {
  url: string;
  accountSid: string;
  authToken: string;
  /** Every message accepted so far, oldest first. */
  messages(): readonly SentSms[];
  close(): Promise<void>;
}

export const UNREACHABLE_NUMBER = '+15005550009';

const hex = (n: number) => randomBytes(n).toString('hex');

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}

function twilioError(res: ServerResponse, status: number, code: number, message: string): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status }));
}

export async function startTwilioStandin(
  opts: { host?: string; port?: number; onMessage?: (m: SentSms) => void } = {},
): Promise<TwilioStandin> {
  const accountSid = `AC${hex(16)}`;
  const authToken = hex(16);
  const sent: SentSms[] = [];
  const expectedAuth = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;
  const path = `/2010-04-01/Accounts/${accountSid}/Messages.json`;

  const server = createServer((req, res) => {
    void (async () => {
      if (req.headers.authorization !== expectedAuth) return twilioError(res, 401, 20003, 'Authenticate');
      if (req.method !== 'POST' || req.url !== path) return twilioError(res, 404, 20404, 'The requested resource was not found');
      const form = new URLSearchParams(await readBody(req));
      const to = form.get('To');
      const body = form.get('Body');
      const from = form.get('From');
      const messagingServiceSid = form.get('MessagingServiceSid');
      if (!to || !body) return twilioError(res, 400, 21604, "A 'To' phone number and a 'Body' are required.");
      if (!from && !messagingServiceSid) return twilioError(res, 400, 21603, "A 'From' or 'MessagingServiceSid' parameter is required.");
      if (to === UNREACHABLE_NUMBER) return twilioError(res, 400, 21614, `'To' number ${to} is not a valid mobile number`);
      const message: SentSms = { sid: `SM${hex(16)}`, to, from, messagingServiceSid, body };
      sent.push(message);
      opts.onMessage?.(message);
      const now = new Date().toUTCString();
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          sid: message.sid,
          account_sid: accountSid,
          messaging_service_sid: messagingServiceSid,
          to,
          from,
          body,
          status: 'queued',
          direction: 'outbound-api',
          num_segments: '1',
          date_created: now,
          date_updated: now,
          api_version: '2010-04-01',
          uri: `${path.replace('.json', '')}/${message.sid}.json`,
        }),
      );
    })().catch(() => twilioError(res, 500, 20500, 'Internal Server Error'));
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    accountSid,
    authToken,
    messages: () => sent,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
