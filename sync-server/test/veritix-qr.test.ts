import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, createTestApp, demoUser, type TestApp } from './helpers/app.js';
import { CHAMBER, buySeat, freeSeats } from './helpers/commerce.js';

const SERVICE_KEY = 'veritix-qr-test-service-key';
type Actor = Awaited<ReturnType<typeof demoUser>>;

describe('Veritix service root, health and QR endpoints over the TicketGate credential', () => {
  let t: TestApp;
  let fan: Actor, fan2: Actor, staff: Actor;
  let seat: string;
  const post = (url: string, payload: unknown, headers: Record<string, string> = {}, ip?: string) =>
    t.app.inject({ method: 'POST', url, headers: { ...headers, ...(ip ? { 'x-forwarded-for': ip } : {}) }, payload: payload as object });
  const bearer = (a: Actor) => ({ authorization: `Bearer ${a.token}` });
  const service = { 'x-service-key': SERVICE_KEY };
  const credentialOf = async (a: Actor, seatId: string) =>
    (await t.app.inject({ method: 'GET', url: `/api/tickets/${seatId}/qr`, headers: bearer(a) })).json().data.qr_payload as string;

  beforeAll(async () => {
    t = await createTestApp({ seed: true, env: { SERVICE_API_KEY: SERVICE_KEY } });
    [fan, fan2, staff] = (await Promise.all([DEMO.fan, DEMO.fan2, DEMO.staff].map((e) => demoUser(t, e)))) as [Actor, Actor, Actor];
    seat = (await freeSeats(t, CHAMBER, 1))[0]!;
    await buySeat(t, fan.token, seat);
  });
  afterAll(async () => t.close());

  it('GET /api/ and /api/health answer in the Veritix shapes; /health keeps its own', async () => {
    const root = await t.app.inject({ method: 'GET', url: '/api/' });
    expect(root.statusCode).toBe(200);
    expect(root.json()).toEqual({ message: expect.stringContaining('running') });
    expect((await t.app.inject({ method: 'GET', url: '/api/health' })).json()).toEqual({
      status: 'OK',
      service: expect.any(String),
      api_version: '0.1.0',
    });
    expect((await t.app.inject({ method: 'GET', url: '/health' })).json().status).toBe('healthy');
  });

  it('generate-qr: the owner gets a PNG of the current credential; others are refused', async () => {
    const res = await post('/api/generate-qr', { ticket_id: seat, user: fan.id }, bearer(fan));
    expect(res.statusCode).toBe(200);
    const png = Buffer.from(res.json().qr_base64, 'base64');
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect((await post('/api/generate-qr', { ticket_id: seat }, bearer(fan2))).json().error_code).toBe('NOT_SEAT_OWNER');
    expect((await post('/api/generate-qr', { ticket_id: seat })).statusCode).toBe(401);
    const wrongUser = await post('/api/generate-qr', { ticket_id: seat, user: fan2.id }, bearer(fan));
    expect([wrongUser.statusCode, wrongUser.json().error_code]).toEqual([400, 'VALIDATION_ERROR']);
    expect((await post('/api/generate-qr', { ticket_id: 'TKT-001', event: 'x', user: 'y' }, bearer(fan))).json().error_code).toBe(
      'VALIDATION_ERROR',
    );
    // A service key gets the current owner's QR.
    expect((await post('/api/generate-qr', { ticket_id: seat, event: CHAMBER }, service)).statusCode).toBe(200);
  });

  it('validate-qr: staff see the ticket without checking it in; Veritix HMAC JSON is never accepted', async () => {
    const text = await credentialOf(fan, seat);
    const ok = await post('/api/validate-qr', { qr_text: text }, bearer(staff));
    expect(ok.json()).toEqual({ isValid: true, metadata: { ticket_id: seat, event: CHAMBER, user: fan.id } });
    const again = await post('/api/validate-qr', { qr_text: text }, service);
    expect(again.json().isValid).toBe(true); // not checked in by the first look
    const { rows } = await t.ctx.pool.query('SELECT status FROM seats WHERE id = $1', [seat]);
    expect(rows[0].status).toBe('SOLD');
    expect((await t.ctx.pool.query('SELECT count(*)::int AS n FROM scans')).rows[0].n).toBe(0);

    const payload = { ticket_id: seat, event: CHAMBER, user: fan.id };
    const sig = createHmac('sha256', 'any-secret').update(JSON.stringify(payload)).digest('hex');
    const veritix = await post('/api/validate-qr', { qr_text: JSON.stringify({ ...payload, sig }) }, bearer(staff));
    expect(veritix.json()).toEqual({ isValid: false, metadata: null, reason: 'QR_INVALID' });

    expect((await post('/api/validate-qr', { qr_text: text }, bearer(fan))).statusCode).toBe(403);
    expect((await post('/api/validate-qr', { qr_text: text })).statusCode).toBe(401);
    expect((await post('/api/validate-qr', { qr_text: '' }, bearer(staff))).json().error_code).toBe('VALIDATION_ERROR');
    expect((await post('/api/validate-qr', { qr_text: text }, { 'x-service-key': 'wrong-key-wrong-key' })).statusCode).toBe(401);
  });

  it('a credential older than 60 s is EXPIRED', async () => {
    const text = await credentialOf(fan, seat);
    t.clock.advance(120_000);
    try {
      expect((await post('/api/validate-qr', { qr_text: text }, bearer(staff))).json()).toMatchObject({
        isValid: false,
        reason: 'EXPIRED',
      });
    } finally {
      t.clock.advance(-120_000);
    }
  });

  it('qr/generate needs the service key and is limited to 60 per minute with the Veritix 429 body', async () => {
    expect((await post('/api/qr/generate', { ticket_id: seat }, bearer(fan), '10.9.0.1')).statusCode).toBe(401);
    const first = await post('/api/qr/generate', { ticket_id: seat }, service, '10.9.0.2');
    expect(first.json()).toMatchObject({ success: true, msg: 'QR generated successfully', qr_base64: expect.any(String) });
    for (let i = 1; i < 60; i++) await post('/api/qr/generate', { ticket_id: seat }, service, '10.9.0.2');
    const limited = await post('/api/qr/generate', { ticket_id: seat }, service, '10.9.0.2');
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toEqual({ success: false, error: 'Rate limit exceeded. Try again in 60s.' });
  });

  it('qr/verify: 30 per minute, same verdicts', async () => {
    const text = await credentialOf(fan, seat);
    const res = await post('/api/qr/verify', { qr_text: text }, bearer(staff), '10.9.0.3');
    expect(res.json()).toMatchObject({ success: true, msg: 'QR verified successfully', isValid: true });
    for (let i = 1; i < 30; i++) await post('/api/qr/verify', { qr_text: 'junk' }, bearer(staff), '10.9.0.3');
    expect((await post('/api/qr/verify', { qr_text: text }, bearer(staff), '10.9.0.3')).json()).toEqual({
      success: false,
      error: 'Rate limit exceeded. Try again in 60s.',
    });
  });

  it('counts generations and validations on /metrics', async () => {
    const body = (await t.app.inject({ method: 'GET', url: '/metrics', headers: service })).body;
    const generations = Number(/^qr_generations_total (\d+)/m.exec(body)?.[1]);
    expect(generations).toBeGreaterThanOrEqual(60); // 60 router generations before the limit, plus the direct ones
    expect(body).toMatch(/^qr_validations_total\{result="valid"\} [1-9]\d*/m);
    expect(body).toMatch(/^qr_validations_total\{result="invalid"\} [1-9]\d*/m);
  });
});

describe('OpenAPI at /docs lists every Veritix endpoint', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t.close());

  it('with its error codes', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/docs/json' })).json() as {
      paths: Record<string, Record<string, { description?: string; responses: Record<string, unknown> }>>;
    };
    const expected: [string, string][] = [
      ['/api/', 'get'],
      ['/api/health', 'get'],
      ['/api/generate-qr', 'post'],
      ['/api/validate-qr', 'post'],
      ['/api/qr/generate', 'post'],
      ['/api/qr/verify', 'post'],
      ['/api/search-events', 'post'],
      ['/api/recommend-events', 'post'],
      ['/api/check-fraud', 'post'],
      ['/api/fraud/flags', 'get'],
      ['/api/fraud/flags/{flag_id}/{decision}', 'post'],
      ['/api/fraud/run', 'post'],
      ['/api/predict-scalper', 'post'],
      ['/api/ml/scalper/models', 'get'],
      ['/api/ml/scalper/train', 'post'],
      ['/api/reports/{id}', 'get'],
      ['/api/ops/events/import', 'post'],
      ['/api/ws/chat/{conversation_id}/{user_id}', 'get'],
      ['/api/ws/support', 'get'],
    ];
    for (const [path, method] of expected) expect(doc.paths[path]?.[method], `${method} ${path}`).toBeDefined();
    expect(Object.keys(doc.paths['/api/predict-scalper']!.post!.responses)).toEqual(
      expect.arrayContaining(['200', '400', '401', '403', '503']),
    );
    expect(doc.paths['/api/qr/generate']!.post!.responses['429']).toBeDefined();
  });
});
