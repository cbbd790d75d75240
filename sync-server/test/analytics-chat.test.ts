import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, createTestApp, demoUser, type TestApp } from './helpers/app.js';

type Actor = Awaited<ReturnType<typeof demoUser>>;

describe('Veritix chat over HTTP (/api/chat)', () => {
  let t: TestApp;
  let fan: Actor, fan2: Actor, staff: Actor, admin: Actor;
  const call = (who: Actor | null, method: 'GET' | 'POST', url: string, payload?: object) =>
    t.app.inject({ method, url, headers: who ? { authorization: `Bearer ${who.token}` } : {}, ...(payload ? { payload } : {}) });

  beforeAll(async () => {
    t = await createTestApp({ seed: true });
    t.clock.set(Date.now());
    const users = await Promise.all([DEMO.fan, DEMO.fan2, DEMO.staff, DEMO.admin].map((e) => demoUser(t, e)));
    [fan, fan2, staff, admin] = [users[0]!, users[1]!, users[2]!, users[3]!];
  });
  afterAll(async () => t.close());

  it('requires a token', async () => {
    const res = await call(null, 'POST', '/api/chat/conv_001/messages', { sender_type: 'user', content: 'hi' });
    expect(res.statusCode).toBe(401);
    expect(res.json().error_code).toBe('UNAUTHORIZED');
  });

  it('a fan opens a conversation, support answers, the history comes back oldest first', async () => {
    const first = await call(fan, 'POST', '/api/chat/conv_001/messages', {
      sender_id: fan.id,
      sender_type: 'user',
      content: "I can't find my ticket PDF.",
    });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ status: 'success', message_id: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    t.clock.advance(1000);
    // Identity comes from the token: sender_id may be left out.
    await call(fan, 'POST', '/api/chat/conv_001/messages', {
      sender_type: 'user',
      content: 'Event is tonight.',
      metadata: { seat: 'A-1' },
    });
    t.clock.advance(1000);
    const answer = await call(admin, 'POST', '/api/chat/conv_001/messages', { sender_type: 'agent', content: 'Open My Tickets.' });
    expect(answer.statusCode).toBe(200);

    const history = (await call(fan, 'GET', '/api/chat/conv_001/history')).json();
    expect(history.conversation_id).toBe('conv_001');
    expect(history.count).toBe(3);
    expect(
      history.messages.map((m: { sender_id: string; sender_type: string; content: string }) => [m.sender_id, m.sender_type, m.content]),
    ).toEqual([
      [fan.id, 'user', "I can't find my ticket PDF."],
      [fan.id, 'user', 'Event is tonight.'],
      [admin.id, 'agent', 'Open My Tickets.'],
    ]);
    expect(history.messages[1]).toMatchObject({ conversation_id: 'conv_001', metadata: { seat: 'A-1' } });
    expect(Date.parse(history.messages[2].timestamp) - Date.parse(history.messages[0].timestamp)).toBe(2000);
    const last = (await call(admin, 'GET', '/api/chat/conv_001/history?limit=1')).json();
    expect(last.messages.map((m: { content: string }) => m.content)).toEqual(['Open My Tickets.']);
  });

  it('a fan cannot speak for someone else, as an agent, or into a stranger’s conversation', async () => {
    const cases: [object, string][] = [
      [{ sender_id: fan.id, sender_type: 'user', content: 'x' }, 'conv_new_1'],
      [{ sender_type: 'agent', content: 'x' }, 'conv_new_2'],
      [{ sender_type: 'user', content: 'let me in' }, 'conv_001'],
    ];
    for (const [payload, conv] of cases) {
      const res = await call(fan2, 'POST', `/api/chat/${conv}/messages`, payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(403);
      expect(res.json().error_code).toBe('FORBIDDEN');
    }
    for (const url of ['/api/chat/conv_001/history', '/api/chat/conv_001/escalations']) {
      expect((await call(fan2, 'GET', url)).json().error_code).toBe('FORBIDDEN');
    }
    expect((await call(fan2, 'POST', '/api/chat/conv_001/escalate', { reason: 'x' })).json().error_code).toBe('FORBIDDEN');
    const { rows } = await t.ctx.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM chat_messages WHERE sender_id = $1`, [fan2.id]);
    expect(rows[0]!.n).toBe(0);
  });

  it('of two strangers opening the same conversation id at once, exactly one gets in', async () => {
    const results = await Promise.all(
      [fan, fan2].map((who) => call(who, 'POST', '/api/chat/conv_race/messages', { sender_type: 'user', content: 'first!' })),
    );
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 403]);
  });

  it('escalations: a participant escalates, both escalations are listed oldest first', async () => {
    const res = await call(fan, 'POST', '/api/chat/conv_001/escalate', {
      reason: 'User is requesting a refund beyond bot capabilities.',
      metadata: { priority: 'high' },
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toEqual({
      status: 'success',
      escalation_id: expect.stringMatching(/^esc_[0-9a-f]{16}$/),
      reason: 'User is requesting a refund beyond bot capabilities.',
      timestamp: expect.any(String),
    });
    t.clock.advance(1000);
    await call(admin, 'POST', '/api/chat/conv_001/escalate', { reason: 'Second look' });
    const list = (await call(fan, 'GET', '/api/chat/conv_001/escalations')).json();
    expect(list.count).toBe(2);
    expect(list.escalations.map((e: { id: string; reason: string }) => [e.id, e.reason])).toEqual([
      [body.escalation_id, 'User is requesting a refund beyond bot capabilities.'],
      [expect.stringMatching(/^esc_/), 'Second look'],
    ]);
    expect(list.escalations[0].metadata).toEqual({ priority: 'high' });
    expect((await call(fan, 'POST', '/api/chat/conv_001/escalate', {})).json().error_code).toBe('VALIDATION_ERROR');
  });

  it('staff post only as themselves, and read only conversations escalated to their venues', async () => {
    const staffB = await demoUser(t, DEMO['staff-b']);
    // The findings: staff posted with any sender_id, and read every chat.
    const spoof = await call(staff, 'POST', '/api/chat/conv_001/messages', {
      sender_id: fan.id,
      sender_type: 'user',
      content: 'I give my ticket away',
    });
    expect(spoof.json().error_code).toBe('FORBIDDEN');
    expect((await call(staff, 'GET', '/api/chat/conv_001/history')).json().error_code).toBe('FORBIDDEN');
    expect((await call(staff, 'POST', '/api/chat/conv_001/messages', { sender_type: 'agent', content: 'x' })).json().error_code).toBe(
      'FORBIDDEN',
    );

    const { rows } = await t.ctx.pool.query<{ venue_id: string }>(`SELECT venue_id FROM halls WHERE id = 'HALL-A'`);
    await call(fan, 'POST', '/api/chat/conv_arena/messages', { sender_type: 'user', content: 'Gate 3 scanner is down' });
    expect(
      (await call(fan, 'POST', '/api/chat/conv_arena/escalate', { reason: 'Venue issue', metadata: { venue_id: rows[0]!.venue_id } }))
        .statusCode,
    ).toBe(200);
    expect((await call(staff, 'GET', '/api/chat/conv_arena/history')).statusCode).toBe(200);
    const reply = await call(staff, 'POST', '/api/chat/conv_arena/messages', { sender_type: 'agent', content: 'On our way.' });
    expect(reply.statusCode).toBe(200);
    const stored = await t.ctx.pool.query<{ sender_id: string }>('SELECT sender_id FROM chat_messages WHERE id = $1', [
      reply.json().message_id,
    ]);
    expect(stored.rows[0]!.sender_id).toBe(staff.id);
    // staff-b works for HALL-B's venue only.
    expect((await call(staffB, 'GET', '/api/chat/conv_arena/history')).json().error_code).toBe('FORBIDDEN');
    expect((await call(staffB, 'POST', '/api/chat/conv_arena/messages', { sender_type: 'agent', content: 'x' })).json().error_code).toBe(
      'FORBIDDEN',
    );
  });

  it("a user's conversations: their own, or anyone's for an admin", async () => {
    t.clock.advance(1000);
    await call(fan, 'POST', '/api/chat/conv_002/messages', { sender_type: 'user', content: 'Another question' });
    const mine = (await call(fan, 'GET', `/api/chat/user/${fan.id}/conversations`)).json();
    expect(mine.user_id).toBe(fan.id);
    expect(mine.conversations.slice(0, 1)).toEqual(['conv_002']);
    expect([...mine.conversations].sort()).toEqual(
      (
        await t.ctx.pool.query<{ c: string }>('SELECT DISTINCT conversation_id AS c FROM chat_messages WHERE sender_id = $1 ORDER BY 1', [
          fan.id,
        ])
      ).rows.map((r) => r.c),
    );
    expect(mine.count).toBe(mine.conversations.length);
    expect((await call(fan2, 'GET', `/api/chat/user/${fan.id}/conversations`)).json().error_code).toBe('FORBIDDEN');
    expect((await call(staff, 'GET', `/api/chat/user/${fan.id}/conversations`)).json().error_code).toBe('FORBIDDEN');
    expect((await call(admin, 'GET', `/api/chat/user/${fan.id}/conversations`)).json().conversations).toEqual(mine.conversations);
  });

  it('validates conversation ids and message bodies', async () => {
    expect((await call(fan, 'GET', '/api/chat/bad%20id/history')).json().error_code).toBe('VALIDATION_ERROR');
    expect((await call(fan, 'POST', '/api/chat/conv_001/messages', { sender_type: 'user', content: '   ' })).json().error_code).toBe(
      'VALIDATION_ERROR',
    );
    expect((await call(fan, 'POST', '/api/chat/conv_001/messages', { sender_type: 'bot', content: 'x' })).json().error_code).toBe(
      'VALIDATION_ERROR',
    );
  });
});
