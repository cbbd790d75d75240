import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { CHAT_PROTOCOL } from '../src/routes/chat-ws.js';
import { DEMO, createTestApp, demoUser, type TestApp } from './helpers/app.js';
import { startPeer } from './helpers/sync.js';

type Actor = Awaited<ReturnType<typeof demoUser>>;
type Frame = Record<string, unknown> & { type: string };

interface Client {
  ws: WebSocket;
  frames: Frame[];
  next(match: (f: Frame) => boolean): Promise<Frame>;
  closed: Promise<number>;
}

/** Opens a socket; rejects with the HTTP status when the handshake is refused. */
function connect(base: string, path: string, opts: { token?: string; viaProtocol?: boolean } = {}): Promise<Client> {
  const url = `${base.replace(/^http/, 'ws')}${path}`;
  const ws = opts.viaProtocol
    ? new WebSocket(url, [CHAT_PROTOCOL, `bearer.${opts.token}`])
    : new WebSocket(url, opts.token ? { headers: { authorization: `Bearer ${opts.token}` } } : {});
  const frames: Frame[] = [];
  const waiting: { match: (f: Frame) => boolean; resolve: (f: Frame) => void }[] = [];
  ws.on('message', (data) => {
    const f = JSON.parse(data.toString()) as Frame;
    frames.push(f);
    for (const w of [...waiting]) {
      if (!w.match(f)) continue;
      waiting.splice(waiting.indexOf(w), 1);
      w.resolve(f);
    }
  });
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  const next = (match: (f: Frame) => boolean) =>
    new Promise<Frame>((resolve, reject) => {
      const seen = frames.find(match);
      if (seen) return resolve(seen);
      const timer = setTimeout(() => reject(new Error(`no matching frame; got ${JSON.stringify(frames)}`)), 10_000);
      waiting.push({ match, resolve: (f) => (clearTimeout(timer), resolve(f)) });
    });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve({ ws, frames, next, closed }));
    ws.once('unexpected-response', (req, res) => {
      req.destroy(); // with this listener, ending the refused request is the client's job
      reject(Object.assign(new Error(`handshake refused ${res.statusCode}`), { status: res.statusCode }));
    });
    ws.once('error', reject);
  });
}

const refusal = (p: Promise<Client>) =>
  p.then(
    () => 0,
    (err: { status?: number }) => err.status ?? -1,
  );

describe('live chat over WebSocket, across two server instances of one database', () => {
  let t: TestApp;
  let a: string;
  let peer: Awaited<ReturnType<typeof startPeer>>;
  let fan: Actor, fan2: Actor, staff: Actor, admin: Actor;
  const clients: Client[] = [];
  const open = async (...args: Parameters<typeof connect>) => {
    const c = await connect(...args);
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    t = await createTestApp({ seed: true, env: { CHAT_WS_MESSAGES_PER_10S: '5', CHAT_WS_MAX_BYTES: '2048' } });
    a = await t.app.listen({ host: '127.0.0.1', port: 0 });
    peer = await startPeer(t);
    [fan, fan2, staff, admin] = (await Promise.all([DEMO.fan, DEMO.fan2, DEMO.staff, DEMO.admin].map((e) => demoUser(t, e)))) as [
      Actor,
      Actor,
      Actor,
      Actor,
    ];
  });
  afterAll(async () => {
    for (const c of clients) c.ws.terminate();
    await peer.close();
    t.app.server.closeAllConnections();
    await t.close();
  });

  it("a fan on one instance and support (an admin: staff read only their venues' escalations) on the other exchange messages; HTTP messages reach sockets too", async () => {
    const mine = await open(a, `/api/ws/chat/live-1/${fan.id}`, { token: fan.token });
    mine.ws.send(JSON.stringify({ content: 'My ticket does not show.', metadata: { seat: 'A-1' } }));
    const ack = await mine.next((f) => f.type === 'ack');
    const echoed = await mine.next((f) => f.type === 'message');
    expect(echoed).toMatchObject({
      id: ack.message_id,
      conversation_id: 'live-1',
      sender_id: fan.id,
      sender_type: 'user',
      content: 'My ticket does not show.',
      metadata: { seat: 'A-1' },
    });

    // Support joins on the other instance, authenticating the browser way (subprotocol).
    const agent = await open(peer.url, `/api/ws/chat/live-1/${admin.id}`, { token: admin.token, viaProtocol: true });
    expect(agent.ws.protocol).toBe(CHAT_PROTOCOL);
    agent.ws.send(JSON.stringify({ content: 'Pull down to refresh My Tickets.', sender_type: 'agent' }));
    expect(await mine.next((f) => f.type === 'message' && f.sender_id === admin.id)).toMatchObject({
      sender_type: 'agent',
      content: 'Pull down to refresh My Tickets.',
    });

    const http = await t.app.inject({
      method: 'POST',
      url: '/api/chat/live-1/messages',
      headers: { authorization: `Bearer ${fan.token}` },
      payload: { content: 'Works now, thanks!' },
    });
    expect(http.statusCode).toBe(200);
    expect(await agent.next((f) => f.type === 'message' && f.content === 'Works now, thanks!')).toMatchObject({
      id: http.json().message_id,
      sender_id: fan.id,
    });
    const history = (
      await t.app.inject({ method: 'GET', url: '/api/chat/live-1/history', headers: { authorization: `Bearer ${fan.token}` } })
    ).json();
    expect(history.count).toBe(3);
  });

  it('escalations reach support staff connected to any instance', async () => {
    const desk = await open(peer.url, '/api/ws/support', { token: staff.token });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/chat/live-1/escalate',
      headers: { authorization: `Bearer ${fan.token}` },
      // Support staff hear the escalations of their venues (the demo staff works for both).
      payload: {
        reason: 'Refund request',
        metadata: { venue_id: (await t.ctx.pool.query("SELECT venue_id FROM halls WHERE id = 'HALL-A'")).rows[0].venue_id },
      },
    });
    expect(await desk.next((f) => f.type === 'escalation')).toMatchObject({
      id: res.json().escalation_id,
      conversation_id: 'live-1',
      reason: 'Refund request',
    });
    expect(await refusal(connect(a, '/api/ws/support', { token: fan.token }))).toBe(403);
  });

  it('refuses an unauthenticated handshake, a foreign user id and a non-participant', async () => {
    expect(await refusal(connect(a, `/api/ws/chat/live-1/${fan.id}`))).toBe(401);
    expect(await refusal(connect(a, `/api/ws/chat/live-1/${fan.id}`, { token: 'not-a-token' }))).toBe(401);
    expect(await refusal(connect(a, `/api/ws/chat/live-1/${fan.id}`, { token: fan2.token }))).toBe(403);
    expect(await refusal(connect(peer.url, `/api/ws/chat/live-1/${fan2.id}`, { token: fan2.token }))).toBe(403);
    expect(await refusal(connect(a, `/api/ws/chat/bad%20id/${fan2.id}`, { token: fan2.token }))).toBe(400);
  });

  it('validates messages, bounds their size and rate', async () => {
    const c = await open(a, `/api/ws/chat/live-2/${fan2.id}`, { token: fan2.token });
    c.ws.send('not json');
    expect(await c.next((f) => f.type === 'error')).toMatchObject({ error_code: 'VALIDATION_ERROR' });
    c.ws.send(JSON.stringify({ content: 'as agent', sender_type: 'agent' }));
    expect(await c.next((f) => f.error_code === 'FORBIDDEN')).toMatchObject({ type: 'error' });
    // 2 used; 3 more fit in the window of 5, the next ones are refused.
    for (let i = 0; i < 6; i++) c.ws.send(JSON.stringify({ content: `m${i}` }));
    expect(await c.next((f) => f.error_code === 'RATE_LIMITED')).toMatchObject({ type: 'error' });
    const stored = await t.ctx.pool.query("SELECT count(*)::int AS n FROM chat_messages WHERE conversation_id = 'live-2'");
    expect(stored.rows[0].n).toBe(3);

    const big = await open(a, `/api/ws/chat/live-3/${fan2.id}`, { token: fan2.token });
    big.ws.send(JSON.stringify({ content: 'x'.repeat(4000) }));
    expect(await big.closed).toBe(1009);
  });
});
