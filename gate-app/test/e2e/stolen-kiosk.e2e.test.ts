import { join } from 'node:path';
import { decodeBase32 } from '@ticketgate/crypto';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GateProcess, ServerApi, startSyncServer, until, waitSnapshot, type ServerProcess } from './harness.js';

// The stolen-kiosk drill of docs/operations.md against the REAL sync server and
// real gate processes: revoke the lost gate, rotate the event's gate key; the
// thief's kiosk cannot read codes issued afterwards and nothing it uploads is
// taken, while a healthy gate of the same hall keeps admitting.
describe('stolen-kiosk drill', () => {
  let server: ServerProcess;
  let api: ServerApi;
  let eventId: string;
  let healthy: GateProcess;
  let stolen: GateProcess;
  const gates: GateProcess[] = [];

  const ready = (g: GateProcess) => waitSnapshot(g, eventId);

  beforeAll(async () => {
    server = await startSyncServer();
    api = new ServerApi(server);
    eventId = await api.arenaEventId();
    [healthy, stolen] = await Promise.all([
      GateProcess.start('Healthy Gate', server.url, await api.enrolmentCode()),
      GateProcess.start('Stolen Gate', server.url, await api.enrolmentCode()),
    ]);
    gates.push(healthy, stolen);
    await Promise.all([ready(healthy), ready(stolen)]);
  }, 180_000);

  afterAll(async () => {
    await Promise.all(gates.map((g) => g.dispose()));
    await server?.dispose();
  }, 60_000);

  it('after revocation and rotation the stolen gate reads no new code and uploads nothing; the healthy gate keeps admitting', async () => {
    // A ticket bought before the drill: both gates know it.
    const before = await api.buyTicket(eventId);
    await Promise.all([healthy, stolen].map((g) => g.waitSeat(before.seatId, 'sold', (s) => s.status === 'SOLD')));
    const stolenId = (await stolen.status()).device_id;
    const oldKid = (await api.sql<{ kid: string }>('SELECT kid FROM gate_keys WHERE event_id = $1 AND retired_at IS NULL', [eventId]))[0]!
      .kid;

    // The drill: 1. revoke the lost gate, 2. rotate the event's gate key.
    await api.call('POST', `/api/sync/devices/${stolenId}/revoke`, { as: 'operator' });
    await stolen.waitStatus('revoked', (s) => s.revoked);
    const rotation = await api.call<{ retired_kid: string; new_kid: string }>('POST', '/api/admin/keys/gate/rotate', {
      as: 'admin',
      body: { event_id: eventId },
    });
    expect(rotation.retired_kid).toBe(oldKid);

    // A code issued after the rotation carries the new key.
    const after = await api.buyTicket(eventId);
    const fresh = await api.qr(after.seatId);
    expect(headerKid(fresh)).toBe(rotation.new_kid);

    // The healthy gate re-pulled its manifest (told by the live stream) and admits it.
    await healthy.waitSeat(after.seatId, 'sold', (s) => s.status === 'SOLD');
    expect(await healthy.scan(fresh)).toMatchObject({ result: 'SUCCESS', seat_id: after.seatId });
    // ...and a code shown at the moment of rotation still passes (the retired key's overlap).
    expect(await healthy.scan(await api.qr(before.seatId))).toMatchObject({ result: 'SUCCESS', seat_id: before.seatId });

    // The stolen gate's key ring lacks the new key: the code is unreadable to it.
    expect(await stolen.scan(fresh)).toMatchObject({ result: 'QR_INVALID' });

    // The thief reads the device token from the kiosk's disk and talks to the server directly: refused.
    const db = new Database(join(stolen.dataDir, 'gate.sqlite'), { readonly: true, fileMustExist: true });
    const token = (db.prepare('SELECT device_token FROM device').get() as { device_token: string }).device_token;
    db.close();
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const hall = await fetch(`${server.url}/api/sync/hall`, { headers });
    expect(hall.status).toBe(403);
    expect(((await hall.json()) as { error_code: string }).error_code).toBe('DEVICE_REVOKED');
    const scanned = new Date().toISOString();
    const forged = {
      scans: [
        {
          client_scan_id: crypto.randomUUID(),
          event_id: eventId,
          seat_id: after.seatId,
          generation: 1,
          hall_id: 'HALL-A',
          result: 'SUCCESS',
          reason: null,
          scanned_at: scanned,
        },
      ],
      backlog: 0,
      clock_offset_ms: null,
    };
    const upload = await fetch(`${server.url}/api/sync/scans`, { method: 'POST', headers, body: JSON.stringify(forged) });
    expect(upload.status).toBe(403);
    expect(((await upload.json()) as { error_code: string }).error_code).toBe('DEVICE_REVOKED');
    expect(
      await api.sql("SELECT 1 FROM scans WHERE device_id = $1 AND received_at > now() - interval '5 minutes' AND seat_id = $2", [
        stolenId,
        after.seatId,
      ]),
    ).toEqual([]);

    // The healthy gate's admissions reach the server as usual.
    await until(
      'the healthy admission on the server',
      async () =>
        (await api.sql(`SELECT 1 FROM scans WHERE seat_id = $1 AND result = 'SUCCESS' AND NOT is_conflict`, [after.seatId])).length > 0,
      10_000,
    );
    // The drill is on the record.
    const audit = await api.call<{ action: string; target_id: string }[]>('GET', '/api/admin/audit?per_page=10', { as: 'admin' });
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['device.revoke', 'key.rotate_gate']));
  }, 120_000);
});

/** The gate key id of a credential: bytes 1-4 of its clear header. */
const headerKid = (text: string) => Buffer.from(decodeBase32(text)!.subarray(1, 5)).toString('hex');
