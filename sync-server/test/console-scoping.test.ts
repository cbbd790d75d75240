import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { recordFlags } from '../src/domain/fraud/flags.js';
import { DEMO, demoUser } from './helpers/app.js';
import { ARENA, CHAMBER, eventIdOf } from './helpers/commerce.js';
import {
  api,
  completedTransfer,
  createTransferTestApp,
  expectError,
  soldSeats,
  transferRow,
  userWith,
  type Actor,
} from './transfers-fixtures.js';
import type { TestApp } from './helpers/app.js';

/**
 * The back-office reads of the operator console, replayed as operator-b (the
 * venue of HALL-B only) against the other venue's data: transfers and
 * disputes, fraud flags, stored reports and support escalations. Each of
 * these leaked across venues before it was scoped.
 */
describe('console back-office endpoints are scoped to the caller’s venues', () => {
  let t: TestApp;
  let operator: Actor, operatorB: Actor, staffB: Actor, admin: Actor, fan: Actor;
  let arena: string, chamber: string, venueA: string, venueB: string;
  const ids = {} as Record<'arenaTransfer' | 'chamberTransfer', string>;

  beforeAll(async () => {
    t = await createTransferTestApp();
    [operator, operatorB, staffB, admin, fan] = (await Promise.all(
      [DEMO.operator, DEMO['operator-b'], DEMO['staff-b'], DEMO.admin, DEMO.fan].map((e) => demoUser(t, e)),
    )) as Actor[] as [Actor, Actor, Actor, Actor, Actor];
    [arena, chamber] = await Promise.all([eventIdOf(t, ARENA), eventIdOf(t, CHAMBER)]);
    const { rows } = await t.ctx.pool.query<{ id: string; venue_id: string }>(
      `SELECT id, venue_id FROM halls WHERE id IN ('HALL-A', 'HALL-B') ORDER BY id`,
    );
    [venueA, venueB] = [rows[0]!.venue_id, rows[1]!.venue_id];
    const [s, b] = await Promise.all([userWith(t, 0, 'seller'), userWith(t, 1000_00, 'buyer')]);
    const [arenaSeat] = await soldSeats(t, s.id, 1, ARENA);
    const [chamberSeat] = await soldSeats(t, s.id, 1, CHAMBER);
    ids.arenaTransfer = await completedTransfer(t, s, b, arenaSeat!, 5);
    ids.chamberTransfer = await completedTransfer(t, s, b, chamberSeat!, 6);
    for (const id of Object.values(ids)) {
      const res = await api(t, 'POST', '/api/transfer/dispute', b, { transfer_id: id, reason: 'Seat was not as described' });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    }
  });
  afterAll(async () => t?.close());

  const listed = async (who: Actor, url: string) =>
    ((await api(t, 'GET', url, who)).body.data as { transfer_id: string }[]).map((d) => d.transfer_id);

  it('operator-b lists only its venue’s transfers; the two-venue operator and the admin see both', async () => {
    const b = await api(t, 'GET', '/api/ops/transfers?status=DISPUTED&per_page=100', operatorB);
    expect(b.status).toBe(200);
    expect(b.body.data.map((d: { transfer_id: string }) => d.transfer_id)).toEqual([ids.chamberTransfer]);
    expect(b.body.pagination.total).toBe(1);
    // Filtering by the other venue's seat does not reveal it either.
    const arenaSeat = (await transferRow(t, ids.arenaTransfer)).seat_id;
    expect(await listed(operatorB, `/api/ops/transfers?seat_id=${arenaSeat}`)).toEqual([]);
    for (const who of [operator, admin])
      expect(await listed(who, '/api/ops/transfers?status=DISPUTED&per_page=100')).toEqual(expect.arrayContaining(Object.values(ids)));
    expectError(await api(t, 'GET', '/api/ops/transfers', staffB), 403, 'FORBIDDEN');
  });

  it('an operator sees disputes but cannot reverse or uphold them; nothing changes', async () => {
    expectError(await api(t, 'POST', '/api/transfer/reverse', operatorB, { transfer_id: ids.chamberTransfer }), 403, 'FORBIDDEN');
    const uphold = { transfer_id: ids.chamberTransfer, resolution: 'UPHELD' };
    expectError(await api(t, 'POST', '/api/transfer/resolve', operatorB, uphold), 403, 'FORBIDDEN');
    expect((await transferRow(t, ids.chamberTransfer)).status).toBe('DISPUTED');
  });

  it('operator-b sees and decides only the fraud flags of its venue', async () => {
    const buyer = await userWith(t, 0, 'bulk');
    // A chamber order makes the account-level flag one of venue B too.
    await t.ctx.pool.query(
      `INSERT INTO orders (user_id, seat_id, event_id, amount_cents, status, held_until, confirmed_at)
       SELECT $1, s.id, s.event_id, 1000, 'CONFIRMED', now(), now() FROM seats s WHERE s.event_id = $2 LIMIT 1`,
      [buyer.id, chamber],
    );
    await recordFlags(
      t.ctx.pool,
      [
        { rule: 'bulk_allocation', subject: `x:${arena}`, userId: fan.id, details: { event_id: arena, seats: 40 } },
        { rule: 'bulk_allocation', subject: `x:${chamber}`, userId: fan.id, details: { event_id: chamber, seats: 40 } },
        { rule: 'account_daily_volume', subject: `${buyer.id}:day`, userId: buyer.id, details: { day: '2026-12-01', purchases: 9 } },
        { rule: 'account_daily_volume', subject: `${fan.id}:none`, userId: fan.id, details: { day: '2026-12-01', purchases: 9 } },
      ],
      new Date(),
    );
    const flags = async (who: Actor) =>
      ((await api(t, 'GET', '/api/fraud/flags?limit=500', who)).body as unknown as { flags: { id: string; subject: string }[] }).flags;
    const byB = await flags(operatorB);
    expect(byB.map((f) => f.subject).sort()).toEqual([`${buyer.id}:day`, `x:${chamber}`].sort());
    const all = await flags(admin);
    const arenaFlag = all.find((f) => f.subject === `x:${arena}`)!;
    const noVenue = all.find((f) => f.subject === `${fan.id}:none`)!;
    expect(arenaFlag && noVenue).toBeTruthy();
    // The attack: deciding another venue's flag by id.
    for (const id of [arenaFlag.id, noVenue.id]) {
      const res = await api(t, 'POST', `/api/fraud/flags/${id}/confirm`, operatorB);
      expectError(res, 403, 'FORBIDDEN');
    }
    const { rows } = await t.ctx.pool.query<{ status: string }>('SELECT status FROM fraud_flags WHERE id = $1', [arenaFlag.id]);
    expect(rows[0]!.status).toBe('OPEN');
    const own = byB.find((f) => f.subject === `x:${chamber}`)!;
    expect((await api(t, 'POST', `/api/fraud/flags/${own.id}/dismiss`, operatorB)).body).toMatchObject({ status: 'DISMISSED' });
  });

  it('a stored report is read only by callers whose venues cover it', async () => {
    const generate = async (who: Actor) =>
      (await api(t, 'POST', '/api/generate-daily-report', who, { output_format: 'csv' })).body as unknown as { report_path: string };
    const fetchAs = (who: Actor, path: string) =>
      t.app.inject({ method: 'GET', url: path, headers: { authorization: `Bearer ${who.token}` } });
    const platform = await generate(admin);
    const ofB = await generate(operatorB);
    // The attack: operator-b downloads the admin's platform-wide report by its id.
    const refused = await fetchAs(operatorB, platform.report_path);
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ success: false, error_code: 'FORBIDDEN' });
    expect(refused.body).not.toContain('Arena');
    expect((await fetchAs(operator, platform.report_path)).statusCode).toBe(403);
    for (const who of [operatorB, operator, admin]) {
      const res = await fetchAs(who, ofB.report_path);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-disposition']).toMatch(/attachment; filename="daily_report_.*\.csv"/);
    }
    expect((await fetchAs(admin, platform.report_path)).statusCode).toBe(200);
  });

  it('support staff hear and list only their venues’ escalations', async () => {
    const base = await t.app.listen({ host: '127.0.0.1', port: 0 });
    const ws = new WebSocket(`${base.replace(/^http/, 'ws')}/api/ws/support`, { headers: { authorization: `Bearer ${staffB.token}` } });
    const frames: { type: string; id?: string }[] = [];
    ws.on('message', (d) => frames.push(JSON.parse(d.toString()) as { type: string; id?: string }));
    const heard = (id: string, ms = 10_000) =>
      new Promise<void>((resolve, reject) => {
        const until = Date.now() + ms;
        const check = () =>
          frames.some((f) => f.id === id)
            ? resolve()
            : Date.now() > until
              ? reject(new Error(JSON.stringify(frames)))
              : setTimeout(check, 20);
        check();
      });
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    try {
      const escalate = async (conversation: string, metadata: object): Promise<string> => {
        const res = await t.app.inject({
          method: 'POST',
          url: `/api/chat/${conversation}/escalate`,
          // An admin may escalate any conversation (a fan only one they have written in).
          headers: { authorization: `Bearer ${admin.token}` },
          payload: { reason: 'Need a person', metadata },
        });
        expect(res.statusCode, res.body).toBe(200);
        return res.json().escalation_id as string;
      };
      // The hub subscribes the socket just after the handshake: a first venue B escalation, repeated until heard, waits for that.
      const warm = async (): Promise<string> => {
        const id = await escalate('scoped-warm', { venue_id: venueB });
        return heard(id, 300).then(
          () => id,
          () => warm(),
        );
      };
      const first = await warm();
      frames.splice(0);
      // The attack: venue A's escalation is sent first; staff-b must not hear it, only the venue B one after it.
      const arenaEsc = await escalate('scoped-a', { venue_id: venueA });
      const bare = await escalate('scoped-none', {});
      const theirs = await escalate('scoped-b', { event_id: chamber });
      await heard(theirs);
      expect(frames.map((f) => f.id)).toEqual([theirs]);
      const recent = async (who: Actor) =>
        (
          (await api(t, 'GET', '/api/support/escalations?limit=200', who)).body as unknown as {
            escalations: { id: string; venue_id: string | null }[];
          }
        ).escalations;
      const forB = await recent(staffB);
      expect(forB.map((e) => e.id)).toEqual(expect.arrayContaining([theirs, first]));
      expect(forB.map((e) => e.id)).not.toEqual(expect.arrayContaining([arenaEsc]));
      expect(forB.map((e) => e.id)).not.toEqual(expect.arrayContaining([bare]));
      expect(new Set(forB.map((e) => e.venue_id))).toEqual(new Set([venueB]));
      expect((await recent(admin)).map((e) => e.id)).toEqual(expect.arrayContaining([arenaEsc, bare, theirs]));
      expectError(await api(t, 'GET', '/api/support/escalations', fan), 403, 'FORBIDDEN');

      // The attack on the conversation socket: staff-b listening in on venue A's conversation.
      for (const c of ['scoped-a', 'scoped-b'])
        await api(t, 'POST', `/api/chat/${c}/messages`, admin, { content: 'Looking into it', sender_type: 'agent' });
      const handshake = (conversation: string) =>
        new Promise<number>((resolve) => {
          const c = new WebSocket(`${base.replace(/^http/, 'ws')}/api/ws/chat/${conversation}/${staffB.id}`, {
            headers: { authorization: `Bearer ${staffB.token}` },
          });
          c.once('open', () => (c.terminate(), resolve(101)));
          c.once('unexpected-response', (req, res) => (req.destroy(), resolve(res.statusCode ?? 0)));
          c.once('error', () => resolve(-1));
        });
      expect(await handshake('scoped-a')).toBe(403);
      expect(await handshake('scoped-b')).toBe(101);
    } finally {
      ws.terminate();
      t.app.server.closeAllConnections();
    }
  });
});
