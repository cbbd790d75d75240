import { SimulatedPassageSensor } from '@ticketgate/hardware/simulators';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GateEngine, wireTurnstile, type ScanVerdict, type Timers } from '../src/engine/index.js';
import { toUploadedScan } from '../src/engine/sync/pusher.js';
import { createLocalHall, type LocalHall } from './helpers/local-hall.js';

/** Timers the test runs out by hand: no waiting, no timed assertions. */
function manualTimers(): Timers & { runOut(): void; pending(): number } {
  const live = new Map<number, () => void>();
  let next = 0;
  return {
    set(fn) {
      live.set(++next, fn);
      return next;
    },
    clear(h) {
      live.delete(h as number);
    },
    runOut() {
      const due = [...live.values()];
      live.clear();
      for (const fn of due) fn();
    },
    pending: () => live.size,
  };
}

// A turnstile that confirms: the gate's real scan path and SQLite store, the
// hardware package's simulated passage sensor, a counting relay.
describe('passage sensing', () => {
  let hall: LocalHall;
  let gate: GateEngine;
  let sensor: SimulatedPassageSensor;
  let timers: ReturnType<typeof manualTimers>;
  let pulses: number;
  let stop: () => void;
  const settled: { kind: 'annulled' | 'passed'; v: ScanVerdict }[] = [];

  beforeEach(async () => {
    hall = await createLocalHall();
    gate = await GateEngine.open({ dataDir: hall.dir });
    sensor = new SimulatedPassageSensor();
    await sensor.start();
    timers = manualTimers();
    pulses = 0;
    settled.length = 0;
    gate.on('annulled', (v) => settled.push({ kind: 'annulled', v }));
    gate.on('passed', (v) => settled.push({ kind: 'passed', v }));
    stop = wireTurnstile(gate, { pulse: () => void pulses++ }, (m) => expect.fail(m), {
      sensor,
      timeoutMs: 3_000,
      annul: (v) => gate.annul(v),
      confirmed: (v) => gate.confirmPassage(v),
      timers,
    });
  });
  afterEach(async () => {
    stop();
    await sensor.close();
    await gate.close();
    hall.cleanup();
  });

  it('annuls an admission nobody walked through; the same ticket is admitted on the next scan', async () => {
    const ticket = hall.ticket(hall.seats.sold);
    const first = await gate.scan(ticket);
    expect(first.result).toBe('SUCCESS');
    expect(pulses).toBe(1);
    expect(gate.seat(hall.seats.sold.seatId)?.status).toBe('CHECKED_IN');

    timers.runOut(); // the sensor stayed silent
    expect(settled.map((s) => s.kind)).toEqual(['annulled']);
    const row = gate.store.scans.byClientId(first.clientScanId)!;
    expect(row.annulled_at).not.toBeNull();
    expect(gate.seat(hall.seats.sold.seatId)).toMatchObject({ status: 'SOLD', admitted_at: null });
    // It goes to the server carrying its annulment.
    expect(toUploadedScan(row)).toMatchObject({ result: 'SUCCESS', annulled_at: new Date(row.annulled_at!).toISOString() });
    expect(gate.status().occupancy).toMatchObject({ inside: 0, entries: 0 });

    const again = await gate.scan(ticket);
    expect({ result: again.result, rule: again.rule }).toEqual({ result: 'SUCCESS', rule: 'admitted' });
    expect(gate.seat(hall.seats.sold.seatId)?.status).toBe('CHECKED_IN');
  });

  it('keeps an admission the sensor saw pass, and the next scan is DUPLICATE', async () => {
    const ticket = hall.ticket(hall.seats.sold);
    const first = await gate.scan(ticket);
    sensor.pass();
    expect(settled.map((s) => [s.kind, s.v.clientScanId])).toEqual([['passed', first.clientScanId]]);
    expect(timers.pending()).toBe(0);
    timers.runOut();
    expect(gate.store.scans.byClientId(first.clientScanId)!.annulled_at).toBeNull();
    expect(gate.status().occupancy).toMatchObject({ inside: 1, entries: 1, exits: 0 });
    expect((await gate.scan(ticket)).result).toBe('DUPLICATE');
  });

  it('confirms openings in order: one passage each, the one left waiting is annulled', async () => {
    const a = await gate.scan(hall.ticket(hall.seats.sold));
    const b = await gate.scan(hall.ticket(hall.seats.sold2));
    sensor.pass();
    timers.runOut();
    expect(settled.map((s) => [s.kind, s.v.clientScanId])).toEqual([
      ['passed', a.clientScanId],
      ['annulled', b.clientScanId],
    ]);
    // A passage with nobody waiting (tailgating) confirms nothing.
    sensor.pass();
    expect(settled).toHaveLength(2);
    expect(gate.seat(hall.seats.sold.seatId)?.status).toBe('CHECKED_IN');
    expect(gate.seat(hall.seats.sold2.seatId)?.status).toBe('SOLD');
  });

  it('counts people inside per zone from entries and exits, annulled ones left out', async () => {
    const ticket = hall.ticket(hall.seats.sold);
    await gate.scan(ticket);
    sensor.pass();
    const out = await gate.scan(hall.ticket(hall.seats.sold), 'api', 'exit');
    expect(out.result).toBe('EXITED');
    expect(pulses).toBe(2);
    sensor.pass();
    expect(gate.status().occupancy).toMatchObject({ inside: 0, entries: 1, exits: 1 });
    await gate.scan(hall.ticket(hall.seats.sold2));
    sensor.pass();
    expect(gate.status().occupancy).toMatchObject({ inside: 1, entries: 2, exits: 1 });
  });
});
