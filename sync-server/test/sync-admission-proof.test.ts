// Admissions with proof: an uploaded SUCCESS counts only when its credential
// verifies (with the keys valid at the scan time), names that seat and a
// generation it had then, lies after the sale and inside the event's window,
// and comes from a device of the seat's hall. Everything else is kept as a
// rejected upload with its reason, counted for operators, and never changes a seat.
import { randomUUID } from 'node:crypto';
import { encodeBase32, decodeBase32, generateIssuingKeyPair, issueCredential } from '@ticketgate/crypto';
import { sync } from '@ticketgate/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, createTestApp, demoUser, type TestApp } from './helpers/app.js';
import { credentialAt, enrolGate, operatorHeaders, scan, soldSeats, upcomingEvent, upload, type TestGate } from './helpers/sync.js';

describe('uploaded admissions need a proof', () => {
  let t: TestApp;
  let g1: TestGate;
  let event: string;
  let seats: string[];
  let next = 0;
  const seat = () => seats[next++]!;
  const T = Date.now() - 3600_000;

  beforeAll(async () => {
    t = await createTestApp({ seed: true });
    g1 = await enrolGate(t, { name: 'Gate 1' });
    event = await upcomingEvent(t);
    seats = await soldSeats(t, event, 40);
  });
  afterAll(async () => t.close());

  const send = async (scans: sync.UploadedScan[], extra?: Parameters<typeof upload>[3], gate = g1) => {
    const res = await upload(t, gate, scans, extra);
    expect(res.statusCode, res.body).toBe(200);
    return sync.ScanUploadResponse.parse(res.json().data);
  };
  /** Uploads one admission and returns the rejection code it got (undefined: accepted). */
  const verdictOf = async (s: sync.UploadedScan, extra?: Parameters<typeof upload>[3], gate = g1) => {
    const r = await send([s], extra, gate);
    const refused = r.rejected.find((x) => x.client_scan_id === s.client_scan_id);
    if (refused) {
      expect(r.accepted).not.toContain(s.client_scan_id);
      return refused.reason.split(':')[0];
    }
    expect(r.accepted).toContain(s.client_scan_id);
    return undefined;
  };
  const seatState = async (id: string) =>
    (
      await t.ctx.pool.query<{ status: string; seq: number; checked_in_at: Date | null }>(
        'SELECT status, seq, checked_in_at FROM seats WHERE id = $1',
        [id],
      )
    ).rows[0]!;
  const admissionsOf = async (id: string) =>
    (await t.ctx.pool.query(`SELECT 1 FROM scans WHERE seat_id = $1 AND result = 'SUCCESS'`, [id])).rowCount;
  const rejectedRow = async (clientScanId: string) =>
    (
      await t.ctx.pool.query('SELECT reason_code, reason, seat_id, result, credential FROM rejected_uploads WHERE client_scan_id = $1', [
        clientScanId,
      ])
    ).rows[0];

  it('refuses an admission of an unsold seat dated 2020 (the reported attack): the seat stays free, and sells and admits later', async () => {
    const { rows } = await t.ctx.pool.query<{ id: string }>(
      `SELECT id FROM seats WHERE event_id = $1 AND status = 'AVAILABLE' ORDER BY row_label DESC LIMIT 1`,
      [event],
    );
    const free = rows[0]!.id;
    const before = await seatState(free);
    const at = Date.parse('2020-06-01T20:00:00Z');
    const bare = { ...scan({ eventId: event, seatId: free, at }), credential: null };
    // Even a credential the server's own keys made cannot admit a seat nobody held at the time.
    const minted = {
      ...scan({ eventId: event, seatId: free, at }),
      credential: await credentialAt(t, { seatId: free, eventId: event, at }),
    };
    expect(await verdictOf(bare)).toBe('no_proof');
    expect(await verdictOf(minted)).toBe('not_sold');
    expect(await seatState(free)).toEqual(before);
    expect(await admissionsOf(free)).toBe(0);
    expect(await rejectedRow(minted.client_scan_id)).toMatchObject({ reason_code: 'not_sold', seat_id: free, result: 'SUCCESS' });

    // A fan buys the seat; staff verification of the fan's code says SUCCESS, not DUPLICATE.
    const fan2 = await demoUser(t, DEMO.fan2);
    await t.ctx.pool.query(`UPDATE seats SET status = 'SOLD', owner_user_id = $2 WHERE id = $1`, [free, fan2.id]);
    const staff = await demoUser(t, DEMO.staff);
    const qr = await credentialAt(t, { seatId: free, eventId: event, at: Date.now() });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/verify',
      headers: { authorization: `Bearer ${staff.token}` },
      payload: { qr_payload: qr, hall_id: 'HALL-A' },
    });
    expect(res.json().data.result).toBe('SUCCESS');
  });

  it('refuses a code of an old generation after a transfer, and counts the same code scanned before it', async () => {
    const s = seat();
    const fan2 = await demoUser(t, DEMO.fan2);
    await t.ctx.pool.query('UPDATE seats SET generation = 2, owner_user_id = $2 WHERE id = $1', [s, fan2.id]);
    const afterTransfer = Date.now() + 60_000;
    expect(await verdictOf(scan({ eventId: event, seatId: s, at: afterTransfer, generation: 1 }))).toBe('generation_not_current');
    expect((await seatState(s)).status).toBe('SOLD');
    // Scanned an hour ago, when generation 1 was the seat's: a legitimate offline admission uploaded late.
    expect(await verdictOf(scan({ eventId: event, seatId: s, at: T, generation: 1 }))).toBeUndefined();
    expect((await seatState(s)).status).toBe('CHECKED_IN');
  });

  it('refuses a scan time before the sale; one after it counts', async () => {
    const [s] = await soldSeats(t, event, 1, Date.now() - 10 * 60_000);
    expect(await verdictOf(scan({ eventId: event, seatId: s!, at: Date.now() - 3600_000 }))).toBe('before_sale');
    expect((await seatState(s!)).status).toBe('SOLD');
    expect(await verdictOf(scan({ eventId: event, seatId: s!, at: Date.now() - 5 * 60_000 }))).toBeUndefined();
  });

  it('refuses forged, tampered, borrowed, stale and missing proofs', async () => {
    const s = seat();
    const other = seat();
    const at = T + 1000;
    const base = () => scan({ eventId: event, seatId: s, at });
    // What a stolen kiosk can do: seal with the event's real gate key, but sign with a key of its own.
    const forged = issueCredential(
      { seatId: s, eventId: event, hallCode: 'HALL-A', generation: 1, issuedAt: Math.floor(at / 1000) },
      { issuing: generateIssuingKeyPair(), gate: await t.ctx.keys.gateKeyFor(event) },
    );
    const genuine = await credentialAt(t, { seatId: s, eventId: event, at });
    const bytes = decodeBase32(genuine)!;
    bytes[100] = bytes[100]! ^ 1;
    const tampered = encodeBase32(bytes);
    expect(await verdictOf({ ...base(), credential: forged })).toBe('proof_invalid');
    expect(await verdictOf({ ...base(), credential: tampered })).toBe('proof_invalid');
    expect(await verdictOf({ ...base(), credential: 'NOT-A-TICKET' })).toBe('proof_invalid');
    // A real code of another seat, or of this seat shown an hour before the claimed scan.
    expect(await verdictOf({ ...base(), credential: await credentialAt(t, { seatId: other, eventId: event, at }) })).toBe('proof_mismatch');
    expect(await verdictOf({ ...base(), credential: await credentialAt(t, { seatId: s, eventId: event, at: at - 3600_000 }) })).toBe(
      'proof_not_fresh',
    );
    expect(
      await verdictOf({ ...base(), credential: await credentialAt(t, { seatId: s, eventId: event, generation: 2, at }), generation: 2 }),
    ).toBe('generation_not_current');
    expect(await verdictOf({ ...base(), credential: null })).toBe('no_proof');
    // Upload version 1 carries no proofs, whatever it sends.
    expect(await verdictOf({ ...base(), credential: genuine }, { version: 1 })).toBe('no_proof');
    expect(await seatState(s)).toMatchObject({ status: 'SOLD', checked_in_at: null });
    expect(await admissionsOf(s)).toBe(0);
    // The genuine code, at its time, is admitted: the refusals above were the proof, not the seat.
    expect(await verdictOf({ ...base(), credential: genuine })).toBeUndefined();
  });

  it('refuses a scan outside the event admission window, configured per event', async () => {
    const s = seat();
    await t.ctx.pool.query(
      `UPDATE events SET admission_opens_at = now() - interval '30 minutes', admission_skew_seconds = 0 WHERE id = $1`,
      [event],
    );
    try {
      expect(await verdictOf(scan({ eventId: event, seatId: s, at: T }))).toBe('outside_admission_window');
      expect(await verdictOf(scan({ eventId: event, seatId: s, at: Date.now() - 60_000 }))).toBeUndefined();
    } finally {
      await t.ctx.pool.query('UPDATE events SET admission_opens_at = NULL, admission_skew_seconds = NULL WHERE id = $1', [event]);
    }
    // The default closes the window 12 h after the event starts.
    const [{ event_date }] = (await t.ctx.pool.query<{ event_date: Date }>('SELECT event_date FROM events WHERE id = $1', [event]))
      .rows as [{ event_date: Date }];
    const late = scan({ eventId: event, seatId: seat(), at: event_date.getTime() + 13 * 3600_000 });
    expect(await verdictOf(late)).toBe('outside_admission_window');
  });

  it('takes a proof under a retired gate key while that key was in use, not after', async () => {
    const s1 = seat();
    const s2 = seat();
    const sealedEarlier = await credentialAt(t, { seatId: s1, eventId: event, at: T });
    const sealedNow = await credentialAt(t, { seatId: s2, eventId: event, at: Date.now() });
    await t.ctx.pool.query(`UPDATE gate_keys SET retired_at = now() - interval '10 minutes' WHERE event_id = $1`, [event]);
    try {
      expect(await verdictOf({ ...scan({ eventId: event, seatId: s1, at: T }), credential: sealedEarlier })).toBeUndefined();
      expect(await verdictOf({ ...scan({ eventId: event, seatId: s2, at: Date.now() }), credential: sealedNow })).toBe('proof_invalid');
    } finally {
      await t.ctx.pool.query('UPDATE gate_keys SET retired_at = NULL WHERE event_id = $1', [event]);
    }
  });

  it('keeps every scan to the device hall: another hall seat or event is refused whatever the verdict', async () => {
    const hallB = await upcomingEvent(t, 'HALL-B');
    const [bSeat] = await soldSeats(t, hallB, 1);
    expect(await verdictOf(scan({ eventId: hallB, seatId: bSeat!, at: T, hallId: 'HALL-B' }))).toBe('other_hall');
    expect(await verdictOf(scan({ eventId: hallB, seatId: bSeat!, at: T, result: 'DUPLICATE', hallId: 'HALL-B' }))).toBe('other_hall');
    expect(await verdictOf({ ...scan({ eventId: hallB, seatId: null, at: T, result: 'NOT_FOUND' }), generation: null })).toBe('other_hall');
    expect(await verdictOf(scan({ eventId: event, seatId: seat(), at: T, result: 'DUPLICATE' }))).toBeUndefined();
    // A HALL-B gate admits its own seat with a proof.
    const gB = await enrolGate(t, { hallId: 'HALL-B', name: 'Gate B' });
    expect(await verdictOf(scan({ eventId: hallB, seatId: bSeat!, at: T, hallId: 'HALL-B' }), undefined, gB)).toBeUndefined();
  });

  it('counts refusals once per scan for operators: device view, sync stats and /metrics', async () => {
    const gate = await enrolGate(t, { name: 'Counted gate' });
    const refusals = [
      { ...scan({ eventId: event, seatId: seat(), at: T }), credential: null },
      { ...scan({ eventId: event, seatId: seat(), at: T }), credential: null },
      { ...scan({ eventId: event, seatId: randomUUID(), at: T }), credential: null },
    ];
    const first = await send(refusals, undefined, gate);
    expect(first.rejected).toHaveLength(3);
    // A re-sent batch gets the same answer and is not counted twice.
    const again = await send(refusals, undefined, gate);
    expect(again.rejected.map((r) => r.reason)).toEqual(first.rejected.map((r) => r.reason));

    const op = await operatorHeaders(t);
    const devices = sync.DeviceView.array().parse(
      (await t.app.inject({ method: 'GET', url: '/api/sync/devices?per_page=100', headers: op })).json().data,
    );
    expect(devices.find((d) => d.device_id === gate.deviceId)!.rejected_uploads).toBe(3);
    const stats = sync.GateStats.parse(
      (await t.app.inject({ method: 'GET', url: `/api/sync/stats?event_id=${event}`, headers: op })).json().data,
    );
    // The scan of an unknown seat named the event too; all three count for it, none among the stored scans.
    expect(stats.gates.find((g) => g.device_id === gate.deviceId)).toMatchObject({ rejected: 3, total: 0 });
    const metrics = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
    const noProof = Number(/^ticketgate_rejected_uploads\{reason="no_proof"\} (\d+)$/m.exec(metrics)?.[1]);
    expect(noProof).toBeGreaterThanOrEqual(3);
    expect(metrics).toMatch(/^ticketgate_rejected_uploads\{reason="before_sale"\} \d+$/m);
  });
});
