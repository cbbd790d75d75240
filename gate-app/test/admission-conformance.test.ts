import { randomUUID } from 'node:crypto';
import { generateGateKey } from '@ticketgate/crypto';
import { admission } from '@ticketgate/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GateEngine, type ServerSeat } from '../src/engine/index.js';
import { createLocalHall, type LocalHall } from './helpers/local-hall.js';

// The shared conformance vectors against the gate's real scan path: a SQLite
// snapshot set up for each vector, a real credential, GateEngine.scan. A gate's
// view is not authoritative, so it must give `gate ?? expect`.
describe('admission conformance: the gate', () => {
  let hall: LocalHall;
  let gate: GateEngine;
  let self: string;
  // The gate's device clock, moved back to make a vector's earlier movements at their time.
  let shiftMs = 0;

  beforeAll(async () => {
    hall = await createLocalHall();
    gate = await GateEngine.open({ dataDir: hall.dir, deviceClock: () => Date.now() + shiftMs });
    self = gate.store.device.get()!.device_id!;
  });
  afterAll(async () => {
    await gate?.close();
    hall?.cleanup();
  });

  const now = () => Math.floor((Date.now() + shiftMs) / 1000);

  /** A fresh seat of the vector's state in the snapshot (generation 2), and the code to scan. */
  function situation(v: admission.AdmissionVector): { text: string; seatId: string } {
    const seat: ServerSeat = {
      seatId: randomUUID(),
      eventId: v.unknown === 'event' ? randomUUID() : hall.eventId,
      row: 'V',
      number: 1,
      category: 'CAT1',
      status: v.seat,
      generation: 2,
      holder: v.seat === 'SOLD' || v.seat === 'CHECKED_IN' ? 'Vector Holder' : null,
      admittedAt: null,
      admittedBy: null,
      admittedDevice: null,
    };
    if (!v.unknown) {
      if (v.prior === 'elsewhere')
        Object.assign(seat, { admittedAt: Date.now() - 60_000, admittedBy: 'Gate North', admittedDevice: randomUUID() });
      gate.store.db.transaction(() => {
        gate.store.catalog.upsertSeat(seat, 0);
        if (v.prior === 'here') gate.store.catalog.admitLocally(seat.seatId, Date.now() - 60_000, { name: 'Gate Test', deviceId: self });
      })();
    }
    const text = hall.ticket(v.unknown === 'seat' ? { ...seat, seatId: randomUUID() } : seat, {
      generation: { older: 1, current: 2, newer: 3 }[v.generation],
      hallCode: v.ticketHall === 'this' ? hall.hallId : 'HALL-Z',
      issuedAt: v.credential === 'expired' ? now() - 600 : v.credential === 'not_yet_valid' ? now() + 120 : now(),
      ...(v.credential === 'unknown_key' ? { gate: generateGateKey() } : {}),
    });
    if (v.credential !== 'tampered') return { text, seatId: seat.seatId };
    const i = 100;
    return { text: text.slice(0, i) + (text[i] === 'A' ? 'B' : 'A') + text.slice(i + 1), seatId: seat.seatId };
  }

  /** The event's policy as a manifest would have delivered it. */
  function setPolicy(v: admission.AdmissionVector, category: string): void {
    const { policy } = admission.policyFor(v, Date.now(), category, self);
    gate.store.db.prepare('UPDATE events SET policy = ? WHERE event_id = ?').run(policy && JSON.stringify(policy), hall.eventId);
  }

  /** The vector's earlier movements of the same ticket, through the gate's own scan path at their times. */
  async function replayHistory(v: admission.AdmissionVector, seatId: string): Promise<void> {
    const seat = gate.seat(seatId);
    if (!seat) return;
    for (const h of v.history ?? []) {
      shiftMs = -h.agoMs;
      const text = hall.ticket({ ...hall.seats.sold, seatId, eventId: seat.event_id, generation: 2 }, { generation: 2, issuedAt: now() });
      const earlier = await gate.scan(text, 'history', h.direction);
      expect(earlier.result, `history ${h.direction} ${h.agoMs} ms before`).toBe(h.direction === 'entry' ? 'SUCCESS' : 'EXITED');
      if (h.annulled) expect(gate.annul(earlier)).toBe(true);
    }
    shiftMs = 0;
  }

  it.each(admission.ADMISSION_VECTORS.map((v) => [v.name, v] as const))('%s', async (_, v) => {
    const want = v.gate ?? v.expect;
    setPolicy(v, 'CAT1');
    const { text, seatId } = situation(v);
    await replayHistory(v, seatId);
    const verdict = await gate.scan(text, 'api', v.direction ?? 'entry');
    expect({ result: verdict.result, reason: verdict.rule }).toEqual(want);
  });
});
