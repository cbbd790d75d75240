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

  beforeAll(async () => {
    hall = await createLocalHall();
    gate = await GateEngine.open({ dataDir: hall.dir });
    self = gate.store.device.get()!.device_id!;
  });
  afterAll(async () => {
    await gate?.close();
    hall?.cleanup();
  });

  const now = () => Math.floor(Date.now() / 1000);

  /** A fresh seat of the vector's state in the snapshot (generation 2), and the code to scan. */
  function situation(v: admission.AdmissionVector): string {
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
    if (v.credential !== 'tampered') return text;
    const i = 100;
    return text.slice(0, i) + (text[i] === 'A' ? 'B' : 'A') + text.slice(i + 1);
  }

  it.each(admission.ADMISSION_VECTORS.map((v) => [v.name, v] as const))('%s', async (_, v) => {
    const want = v.gate ?? v.expect;
    const verdict = await gate.scan(situation(v));
    expect({ result: verdict.result, reason: verdict.rule }).toEqual(want);
  });
});
