import { generateGateKey, generateIssuingKeyPair } from '@ticketgate/crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applySeatBatch, GateEngine } from '../src/engine/index.js';
import { createLocalHall, type LocalHall } from './helpers/local-hall.js';

// The verdict order of docs/gate.md on a real SQLite file with locally generated keys.
describe('gate verdicts', () => {
  let hall: LocalHall;
  let gate: GateEngine;

  beforeEach(async () => {
    hall = await createLocalHall();
    gate = await GateEngine.open({ dataDir: hall.dir });
  });
  afterEach(async () => {
    await gate.close();
    hall.cleanup();
  });

  const old = () => Math.floor(Date.now() / 1000) - 600;

  it('admits a sold ticket once, then names this gate and the time on every later scan', async () => {
    const text = hall.ticket(hall.seats.sold);
    const first = await gate.scan(text);
    expect(first.result).toBe('SUCCESS');
    expect(first.message).toBe('✅ Valid ticket. Welcome!');
    expect(first.seat).toMatchObject({ row_label: 'A', seat_number: 1, holder_name: 'Holder A1', status: 'CHECKED_IN' });
    expect(first.event?.name).toBe('Local Test Night');

    const second = await gate.scan(hall.ticket(hall.seats.sold));
    expect(second.result).toBe('DUPLICATE');
    expect(second.firstAdmission).toEqual({ at: first.scannedAt, by: 'Gate Test' });
    expect(second.message).toMatch(/^⚠️ Already Checked In\. This ticket was scanned at \d\d:\d\d:\d\d at Gate Test\.$/);
    expect(gate.seat(hall.seats.sold.seatId)?.status).toBe('CHECKED_IN');
  });

  it('answers DUPLICATE for an admission learned from the server, with its time and gate', async () => {
    const v = await gate.scan(hall.ticket(hall.seats.admitted));
    expect(v.result).toBe('DUPLICATE');
    expect(v.reason).toBe('admitted_elsewhere');
    expect(v.message).toBe('⚠️ Already Checked In. This ticket was scanned at 18:42:03 at Gate North.');
  });

  it('calls its own admission "here" even once the server echoes it back, and another gate of the same name "elsewhere"', async () => {
    const { sold, sold2 } = hall.seats;
    const self = gate.store.device.get()!.device_id;
    const echoed = (s: typeof sold, deviceId: string | null) => ({
      ...s,
      status: 'CHECKED_IN' as const,
      admittedAt: Date.now() - 1000,
      admittedBy: 'Gate Test',
      admittedDevice: deviceId,
    });
    applySeatBatch(
      gate.store,
      { eventId: hall.eventId, full: false, cursor: 11, seats: [echoed(sold, self), echoed(sold2, crypto.randomUUID())] },
      Date.now(),
    );
    expect(gate.seat(sold.seatId)?.admitted_source).toBe('server');
    expect((await gate.scan(hall.ticket(sold))).reason).toBe('admitted_here');
    expect((await gate.scan(hall.ticket(sold2))).reason).toBe('admitted_elsewhere');
  });

  it('refuses garbage and tampered codes as QR_INVALID', async () => {
    expect((await gate.scan('hello world')).result).toBe('QR_INVALID');
    const text = hall.ticket(hall.seats.sold);
    const i = 100;
    const tampered = text.slice(0, i) + (text[i] === 'A' ? 'B' : 'A') + text.slice(i + 1);
    const v = await gate.scan(tampered);
    expect(v.result).toBe('QR_INVALID');
    expect(v.reason).toBe('decryption_failed');
    // A forged signature (unknown issuing key) under our gate key.
    const forged = await gate.scan(hall.ticket(hall.seats.sold, { issuing: generateIssuingKeyPair() }));
    expect(forged.result).toBe('QR_INVALID');
    expect(gate.seat(hall.seats.sold.seatId)?.admitted_at).toBeNull();
  });

  it("sends tickets of another hall there, even without that hall's key, before judging freshness", async () => {
    const foreign = await gate.scan(hall.ticket(hall.seats.sold, { hallCode: 'HALL-B', gate: generateGateKey() }));
    expect(foreign).toMatchObject({ result: 'WRONG_HALL', correctHall: 'HALL-B', reason: 'unknown_key_id' });
    expect(foreign.message).toBe('🔄 Wrong Hall — Go to Hall HALL-B');
    const staleForeign = await gate.scan(hall.ticket(hall.seats.sold, { hallCode: 'HALL-C', issuedAt: old() }));
    expect(staleForeign).toMatchObject({ result: 'WRONG_HALL', correctHall: 'HALL-C' });
  });

  it('says EXPIRED before looking at the seat', async () => {
    const expired = await gate.scan(hall.ticket(hall.seats.sold, { issuedAt: old() }));
    expect(expired.result).toBe('EXPIRED');
    expect(expired.message).toBe('⏰ Expired QR — Refresh ticket in app');
    const unknownAndExpired = await gate.scan(hall.ticket({ ...hall.seats.sold, seatId: crypto.randomUUID() }, { issuedAt: old() }));
    expect(unknownAndExpired.result).toBe('EXPIRED');
    const future = await gate.scan(hall.ticket(hall.seats.sold, { issuedAt: Math.floor(Date.now() / 1000) + 120 }));
    expect(future.result).toBe('EXPIRED');
    expect(gate.seat(hall.seats.sold.seatId)?.admitted_at).toBeNull();
  });

  it('calls unknown seats and superseded generations NOT_FOUND, before UNPAID', async () => {
    const unknown = await gate.scan(hall.ticket({ ...hall.seats.sold, seatId: crypto.randomUUID() }));
    expect(unknown).toMatchObject({ result: 'NOT_FOUND', reason: 'unknown_seat', message: '🚫 Possible Counterfeit' });
    const revoked = await gate.scan(hall.ticket(hall.seats.bumped, { generation: 2 }));
    expect(revoked).toMatchObject({ result: 'NOT_FOUND', reason: 'revoked_generation' });
    const current = await gate.scan(hall.ticket(hall.seats.bumped));
    expect(current.result).toBe('SUCCESS');
    const heldOldGeneration = await gate.scan(hall.ticket({ ...hall.seats.held, generation: 0 }));
    expect(heldOldGeneration.result).toBe('NOT_FOUND');
    expect((await gate.scan(hall.ticket(hall.seats.available))).reason).toBe('seat_not_sold');
  });

  it('says UNPAID for a held seat', async () => {
    const v = await gate.scan(hall.ticket(hall.seats.held));
    expect(v).toMatchObject({ result: 'UNPAID', message: '❌ Incomplete Payment' });
    expect(gate.seat(hall.seats.held.seatId)?.status).toBe('HELD');
  });

  it('records every scan, pass or fail, with device time, offset and upload state', async () => {
    await gate.scan('not a ticket!', 'stdin');
    await gate.scan(hall.ticket(hall.seats.held));
    await gate.scan(hall.ticket(hall.seats.sold2));
    const rows = gate.store.scans.recent(10);
    expect(rows.map((r) => r.result)).toEqual(['SUCCESS', 'UNPAID', 'QR_INVALID']);
    expect(rows[0]).toMatchObject({
      seat_id: hall.seats.sold2.seatId,
      event_id: hall.eventId,
      generation: 1,
      hall_id: 'HALL-A',
      upload_state: 'pending',
      clock_offset_ms: 0,
    });
    expect(rows[2]).toMatchObject({ source: 'stdin', seat_id: null, reason: 'not_base32' });
    expect(rows[0]!.client_scan_id).toMatch(/^[0-9a-f-]{36}$/);
    const status = gate.status();
    expect(status.backlog).toBe(3);
    expect(status.counts).toMatchObject({ SUCCESS: 1, UNPAID: 1, QR_INVALID: 1, DUPLICATE: 0 });
  });

  it('judges freshness on the server-corrected clock', async () => {
    // The device clock runs 10 minutes slow; the learned offset puts it right.
    await gate.close();
    const slow = () => Date.now() - 600_000;
    gate = await GateEngine.open({ dataDir: hall.dir, deviceClock: slow });
    expect((await gate.scan(hall.ticket(hall.seats.sold))).result).toBe('EXPIRED');
    gate.clock.observe({ sentAt: slow(), receivedAt: slow(), serverTime: new Date().toISOString() });
    expect(gate.status()).toMatchObject({ clock_warning: true, clock_message: expect.stringMatching(/behind the server/) });
    const v = await gate.scan(hall.ticket(hall.seats.sold));
    expect(v.result).toBe('SUCCESS');
    expect(Math.abs(v.scannedAt - Date.now())).toBeLessThan(5_000);
    expect(Math.abs(v.deviceTime - slow())).toBeLessThan(5_000);
  });
});
