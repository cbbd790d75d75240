import { randomUUID } from 'node:crypto';
import { generateGateKey, issueCredential } from '@ticketgate/crypto';
import { admission } from '@ticketgate/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyAdmissionsToSeats, canonicalAdmissions, electCanonicalAdmissions } from '../src/domain/sync/admissions.js';
import { DEMO, createTestApp, demoUser, type TestApp } from './helpers/app.js';
import { ARENA, call, eventIdOf, freeSeats } from './helpers/commerce.js';
import { enrolGate, scan, upload, type TestGate } from './helpers/sync.js';

// The shared conformance vectors against the server's two admission paths on a
// real PostgreSQL: the online /api/verify (authoritative view: it must give
// `expect`) and the canonical-admission election of gate uploads.
describe('admission conformance: the server', () => {
  let t: TestApp;
  let staff: { id: string; token: string };
  let operator: { id: string; token: string };
  let fan: { id: string };
  let arenaId: string;
  let seats: string[];
  let gateA: TestGate;
  let gateB: TestGate;

  beforeAll(async () => {
    t = await createTestApp({ seed: true });
    [staff, fan, operator] = await Promise.all([demoUser(t, DEMO.staff), demoUser(t, DEMO.fan), demoUser(t, DEMO.operator)]);
    arenaId = await eventIdOf(t, ARENA);
    seats = await freeSeats(t, ARENA, 40, { category: 'CAT3' });
    // A is the gate with the lower device id (the election's tie-break).
    [gateA, gateB] = [await enrolGate(t, { name: 'Gate North' }), await enrolGate(t, { name: 'Gate North' })].sort((a, b) =>
      a.deviceId < b.deviceId ? -1 : 1,
    ) as [TestGate, TestGate];
  });
  afterAll(async () => t?.close());

  const db = () => t.ctx.pool;

  /** One arena seat put in the vector's state (generation 2), its prior admission recorded, and the code to scan. */
  async function situation(v: admission.AdmissionVector): Promise<{ seatId: string; qr: string }> {
    const seatId = seats.shift()!;
    const checkedIn = new Date(t.clock.now() - 60_000);
    await db().query(
      `UPDATE seats SET status = $2, generation = 2,
              owner_user_id = CASE WHEN $2 IN ('SOLD', 'CHECKED_IN') THEN $3::uuid END,
              held_by = CASE WHEN $2 = 'HELD' THEN $3::uuid END,
              held_until = CASE WHEN $2 = 'HELD' THEN now() + interval '5 minutes' END,
              checked_in_at = CASE WHEN $2 = 'CHECKED_IN' THEN $4::timestamptz END
        WHERE id = $1`,
      [seatId, v.seat, fan.id, checkedIn],
    );
    if (v.prior !== 'none') {
      await db().query(
        `INSERT INTO scans (client_scan_id, device_id, staff_user_id, hall_id, event_id, seat_id, generation, result, scanned_at)
         VALUES ($1, $2, $3, 'HALL-A', $4, $5, 2, 'SUCCESS', $6)`,
        v.prior === 'here'
          ? [null, null, staff.id, arenaId, seatId, checkedIn]
          : [randomUUID(), gateA.deviceId, null, arenaId, seatId, checkedIn],
      );
    }
    const now = Math.floor(t.clock.now() / 1000);
    const qr = await issueCredential(
      {
        seatId: v.unknown === 'seat' ? randomUUID() : seatId,
        eventId: arenaId,
        hallCode: v.ticketHall === 'this' ? 'HALL-A' : 'HALL-B',
        generation: { older: 1, current: 2, newer: 3 }[v.generation],
        issuedAt: v.credential === 'expired' ? now - 600 : v.credential === 'not_yet_valid' ? now + 120 : now,
      },
      {
        issuing: await t.ctx.keys.activeIssuingKey(),
        gate: v.credential === 'unknown_key' ? generateGateKey() : await t.ctx.keys.gateKeyFor(arenaId),
      },
    );
    if (v.credential !== 'tampered') return { seatId, qr };
    const i = 100;
    return { seatId, qr: qr.slice(0, i) + (qr[i] === 'A' ? 'B' : 'A') + qr.slice(i + 1) };
  }

  /** The event's policy, set as an operator sets it (PUT …/admission-policy); the zone staff stand at, if any. */
  async function setPolicy(v: admission.AdmissionVector, category: string): Promise<string | null> {
    const { policy, zone } = admission.policyFor(v, t.clock.now(), category, null);
    const res = await t.app.inject({
      method: 'PUT',
      url: `/api/sync/events/${arenaId}/admission-policy`,
      headers: { authorization: `Bearer ${operator.token}` },
      payload: policy ?? {},
    });
    expect(res.statusCode, res.body).toBe(200);
    return zone;
  }

  /** The vector's earlier movements of the same ticket through /api/verify at their times; annulled ones as a gate's annulment would. */
  async function replayHistory(v: admission.AdmissionVector, seatId: string, zone: string | null): Promise<void> {
    const now = t.clock.now();
    for (const h of v.history ?? []) {
      t.clock.set(now - h.agoMs);
      const qr = await issueCredential(
        { seatId, eventId: arenaId, hallCode: 'HALL-A', generation: 2, issuedAt: Math.floor(t.clock.now() / 1000) },
        { issuing: await t.ctx.keys.activeIssuingKey(), gate: await t.ctx.keys.gateKeyFor(arenaId) },
      );
      const res = await call(t, 'POST', '/api/verify', staff.token, {
        qr_payload: qr,
        hall_id: 'HALL-A',
        direction: h.direction,
        ...(zone ? { zone } : {}),
      });
      expect(res.json().data?.result, `history ${h.direction} ${h.agoMs} ms before`).toBe(h.direction === 'entry' ? 'SUCCESS' : 'EXITED');
      if (h.annulled) await annulLatest(seatId);
    }
    t.clock.set(now);
  }

  async function annulLatest(seatId: string): Promise<void> {
    const client = await db().connect();
    try {
      await client.query('BEGIN');
      await client.query(
        `UPDATE scans SET annulled_at = now() WHERE id = (SELECT id FROM scans WHERE seat_id = $1 AND result = 'SUCCESS' ORDER BY scanned_at DESC LIMIT 1)`,
        [seatId],
      );
      await applyAdmissionsToSeats(client, await electCanonicalAdmissions(client, [seatId]));
      await client.query('COMMIT');
    } finally {
      client.release();
    }
  }

  const online = admission.ADMISSION_VECTORS.filter((v) => !v.onlyGate);

  it.each(online.map((v) => [v.name, v] as const))('POST /api/verify: %s', async (_, v) => {
    const zone = await setPolicy(v, 'CAT3');
    const { seatId, qr } = await situation(v);
    await replayHistory(v, seatId, zone);
    const at = new Date(t.clock.now());
    const res = await call(t, 'POST', '/api/verify', staff.token, {
      qr_payload: qr,
      hall_id: 'HALL-A',
      direction: v.direction ?? 'entry',
      ...(zone ? { zone } : {}),
    });
    const result = res.statusCode === 200 ? res.json().data.result : res.json().error_code;
    t.clock.real();
    // The rule's reason is the first word of the logged reason.
    const { rows } = await db().query<{ reason: string | null }>(
      `SELECT reason FROM scans WHERE staff_user_id = $1 AND scanned_at >= $2 AND result = $3 ORDER BY received_at DESC LIMIT 1`,
      [staff.id, at, result],
    );
    expect({ result, reason: rows[0]?.reason?.split(':')[0] ?? 'admitted' }).toEqual(v.expect);
    if (v.expect.result === 'SUCCESS')
      expect((await db().query('SELECT status FROM seats WHERE id = $1', [seatId])).rows[0].status).toBe('CHECKED_IN');
  });

  it.each(admission.ELECTION_VECTORS.map((v) => [v.name, v] as const))('upload election: %s', async (_, v) => {
    await setPolicy({ ...admission.ADMISSION_VECTORS[0]!, ...(v.reentry ? { policy: { reentry: true } } : {}) }, 'CAT2');
    const [seatId] = await freeSeats(t, ARENA, 1, { category: 'CAT2' });
    await db().query(`UPDATE seats SET status = 'SOLD', owner_user_id = $2 WHERE id = $1`, [seatId, fan.id]);
    // Sold yesterday: the uploaded admissions (with their proofs) lie after the sale.
    await db().query(`UPDATE seat_generations SET valid_from = now() - interval '1 day' WHERE seat_id = $1`, [seatId]);
    const base = t.clock.now() - 3_600_000;
    // In the listed order: gates upload; online staff admissions enter the same election the uploads use.
    for (const a of v.admissions) {
      const at = base + a.atMs;
      if (a.device) {
        const exit = a.direction === 'exit';
        const res = await upload(t, a.device === 'A' ? gateA : gateB, [
          {
            ...scan({ eventId: arenaId, seatId: seatId!, at, ...(exit ? { result: 'EXITED' as const } : {}) }),
            direction: a.direction ?? 'entry',
          },
        ]);
        expect(res.statusCode).toBe(200);
      } else {
        const client = await db().connect();
        try {
          await client.query('BEGIN');
          await client.query(
            `INSERT INTO scans (staff_user_id, hall_id, event_id, seat_id, generation, result, scanned_at, is_conflict)
             VALUES ($1, 'HALL-A', $2, $3, 1, 'SUCCESS', $4, true)`,
            [staff.id, arenaId, seatId, new Date(at)],
          );
          await applyAdmissionsToSeats(client, await electCanonicalAdmissions(client, [seatId!]));
          await client.query('COMMIT');
        } finally {
          client.release();
        }
      }
    }
    const winner = v.admissions[v.winner]!;
    const canonical = (await canonicalAdmissions(db(), [seatId!])).get(seatId!)!;
    expect({ at: Date.parse(canonical.scanned_at), device: canonical.device_id }).toEqual({
      at: base + winner.atMs,
      device: winner.device === null ? null : (winner.device === 'A' ? gateA : gateB).deviceId,
    });
    // Every other entry is a conflict unless the vector says which are (re-entries are not).
    const entries = v.admissions.map((a, i) => ({ a, i })).filter(({ a }) => a.direction !== 'exit');
    const wanted = v.conflicts ?? entries.map(({ i }) => i).filter((i) => i !== v.winner);
    const { rows } = await db().query<{ scanned_at: Date }>(
      `SELECT scanned_at FROM scans WHERE seat_id = $1 AND result = 'SUCCESS' AND is_conflict ORDER BY scanned_at`,
      [seatId],
    );
    expect(rows.map((r) => r.scanned_at.getTime())).toEqual(wanted.map((i) => base + v.admissions[i]!.atMs).sort((x, y) => x - y));
  });
});
