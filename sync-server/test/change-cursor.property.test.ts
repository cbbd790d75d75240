import fc from 'fast-check';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, type Pool } from '../src/db/pool.js';
import { readSeatDelta } from '../src/domain/sync/seat-delta.js';
import { createTestDatabase } from './helpers/db.js';

/**
 * The change cursor against real PostgreSQL transactions in generated
 * interleavings: writers that take their transaction id early and commit late
 * (the case a "highest number seen" cursor gets wrong), writers that collide on
 * a seat and roll back, and readers pulling deltas in between. Steps run one at
 * a time in the generated order, so every interleaving is reproducible.
 */
const WRITERS = 3;
const READERS = 2;
const SEATS = 6;

type Step =
  | { k: 'begin'; w: number }
  | { k: 'write'; w: number; seat: number }
  | { k: 'commit'; w: number }
  | { k: 'rollback'; w: number }
  | { k: 'read'; r: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ k: fc.constant('begin' as const), w: fc.nat(WRITERS - 1) }),
  fc.record({ k: fc.constant('write' as const), w: fc.nat(WRITERS - 1), seat: fc.nat(SEATS - 1) }),
  fc.record({ k: fc.constant('write' as const), w: fc.nat(WRITERS - 1), seat: fc.nat(SEATS - 1) }),
  fc.record({ k: fc.constant('commit' as const), w: fc.nat(WRITERS - 1) }),
  fc.record({ k: fc.constant('rollback' as const), w: fc.nat(WRITERS - 1) }),
  fc.record({ k: fc.constant('read' as const), r: fc.nat(READERS - 1) }),
  fc.record({ k: fc.constant('read' as const), r: fc.nat(READERS - 1) }),
);

interface Writer {
  client: pg.Client;
  open: boolean;
  wrote: boolean;
  position: number;
}

interface Gate {
  cursor: number;
  mirror: Map<string, number>;
}

describe('change cursor (property, real PostgreSQL)', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let pool: Pool;
  let eventId: string;
  let seatIds: string[];
  const writers: Writer[] = [];
  const device = { id: '00000000-0000-4000-8000-000000000001', hallId: 'PROP', name: 'property gate' };

  beforeAll(async () => {
    db = await createTestDatabase();
    pool = createPool(db.url, { max: 4 });
    const venue = (await pool.query<{ id: string }>(`INSERT INTO venues (name) VALUES ('Property Hall') RETURNING id`)).rows[0]!.id;
    await pool.query(`INSERT INTO halls (id, venue_id, name) VALUES ('PROP', $1, 'Property')`, [venue]);
    eventId = (
      await pool.query<{ id: string }>(
        `INSERT INTO events (venue_id, hall_id, name, event_date) VALUES ($1, 'PROP', 'Property Night', now() + interval '1 day') RETURNING id`,
        [venue],
      )
    ).rows[0]!.id;
    await pool.query(`INSERT INTO event_categories (event_id, category, price_cents) VALUES ($1, 'GA', 100)`, [eventId]);
    seatIds = (
      await pool.query<{ id: string }>(
        `INSERT INTO seats (event_id, row_label, seat_number, category) SELECT $1, 'A', n, 'GA' FROM generate_series(1, $2::int) n RETURNING id`,
        [eventId, SEATS],
      )
    ).rows.map((r) => r.id);
    for (let i = 0; i < WRITERS; i++) {
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      writers.push({ client, open: false, wrote: false, position: 0 });
    }
  });
  afterAll(async () => {
    for (const w of writers) await w.client.end();
    await pool?.end();
    await db?.drop();
  });

  const pull = async (gate: Gate) => {
    const d = await readSeatDelta({ pool }, device, eventId, gate.cursor);
    const seats = JSON.parse(d.seatsJson) as [string, string, number, string, string, number][];
    if (d.full) gate.mirror.clear();
    for (const s of seats) gate.mirror.set(s[0], s[5]);
    expect(d.cursor).toBeGreaterThanOrEqual(gate.cursor);
    gate.cursor = d.cursor;
    return d.cursor;
  };

  const finish = async (w: Writer, how: 'COMMIT' | 'ROLLBACK'): Promise<boolean> => {
    if (!w.open) return false;
    w.open = false;
    const res = await w.client.query(how);
    // A transaction that failed (a collided write) reports ROLLBACK even when asked to commit.
    return how === 'COMMIT' && res.command === 'COMMIT' && w.wrote;
  };

  it('no reader ever skips a change that commits after its read, and every gate ends with the database state', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 5, maxLength: 40 }), async (steps) => {
        const gates: Gate[] = Array.from({ length: READERS }, () => ({ cursor: 0, mirror: new Map() }));
        for (const g of gates) await pull(g);
        const reads: number[] = []; // cursors handed out so far
        const violations: string[] = [];
        const committed = (w: Writer) => {
          // Every cursor given out before this commit must stay below the change it makes.
          for (const c of reads) if (w.position <= c) violations.push(`change at ${w.position} committed after a read with cursor ${c}`);
        };
        for (const s of steps) {
          if (s.k === 'read') {
            reads.push(await pull(gates[s.r]!));
            continue;
          }
          const w = writers[s.w]!;
          if (s.k === 'begin' || (s.k === 'write' && !w.open)) {
            if (w.open) continue;
            await w.client.query('BEGIN');
            // The id is taken now, as a purchase taking its first lock would, and may commit much later.
            w.position = Number(
              (await w.client.query<{ p: string }>('SELECT change_position(pg_current_xact_id())::text AS p')).rows[0]!.p,
            );
            w.open = true;
            w.wrote = false;
          }
          if (s.k === 'write') {
            try {
              // NOWAIT: a steps-in-order driver must never block on another writer's row lock.
              await w.client.query(
                `UPDATE seats SET generation = generation + 1 WHERE id = (SELECT id FROM seats WHERE id = $1 FOR UPDATE NOWAIT)`,
                [seatIds[s.seat]],
              );
              w.wrote = true;
            } catch {
              w.wrote = false; // the transaction is aborted; its COMMIT rolls back
            }
          } else if (s.k === 'commit' || s.k === 'rollback') {
            if (await finish(w, s.k === 'commit' ? 'COMMIT' : 'ROLLBACK')) committed(w);
          }
        }
        for (const w of writers) if (await finish(w, 'COMMIT')) committed(w);
        expect(violations).toEqual([]);

        const truth = new Map(
          (
            await pool.query<{ id: string; generation: number }>('SELECT id, generation FROM seats WHERE event_id = $1', [eventId])
          ).rows.map((r) => [r.id, r.generation]),
        );
        for (const g of gates) {
          await pull(g);
          expect(g.mirror).toEqual(truth);
        }
      }),
      { numRuns: 60 },
    );
  }, 120_000);
});
