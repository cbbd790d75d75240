import { hashPassword } from '@ticketgate/crypto';
import { passwordParams } from '../domain/auth/passwords.js';
import type { AppContext } from '../context.js';
import { insertSeatBlocks, rowLabels } from '../domain/catalog/seat-blocks.js';
import type { Role } from '../domain/auth/roles.js';
import type { EventType } from '../domain/catalog/event-types.js';
import { withTransaction } from './pool.js';

export const DEMO_PASSWORD = 'demo-pass-123';

interface DemoAccount {
  email: string;
  role: Role;
  name: string;
  phone: string;
  credits: number;
  flagged?: boolean;
  /** Staff and operators: the demo venues they work for (by hall), all of them unless named. */
  halls?: string[];
  note: string;
}

export const DEMO_ACCOUNTS: DemoAccount[] = [
  { email: 'fan@demo.ticketgate.test', role: 'fan', name: 'Demo Fan', phone: '+6591000001', credits: 1000_00, note: '1,000.00 credits' },
  { email: 'fan2@demo.ticketgate.test', role: 'fan', name: 'Second Fan', phone: '+6591000002', credits: 1000_00, note: '1,000.00 credits' },
  {
    email: 'flagged@demo.ticketgate.test',
    role: 'fan',
    name: 'Flagged Fan',
    phone: '+6591000003',
    credits: 500_00,
    flagged: true,
    note: 'flagged (OTP on payment), 500.00 credits',
  },
  {
    email: 'staff@demo.ticketgate.test',
    role: 'staff',
    name: 'Gate Staff',
    phone: '+6591000004',
    credits: 0,
    note: 'may verify tickets (both demo venues)',
  },
  {
    email: 'operator@demo.ticketgate.test',
    role: 'operator',
    name: 'Hall Operator',
    phone: '+6591000005',
    credits: 0,
    note: 'events, devices, enrolment codes (both demo venues)',
  },
  {
    email: 'staff-b@demo.ticketgate.test',
    role: 'staff',
    name: 'Theatre Staff',
    phone: '+6591000007',
    credits: 0,
    halls: ['HALL-B'],
    note: 'may verify tickets at HALL-B only',
  },
  {
    email: 'operator-b@demo.ticketgate.test',
    role: 'operator',
    name: 'Theatre Operator',
    phone: '+6591000008',
    credits: 0,
    halls: ['HALL-B'],
    note: "HALL-B's venue only",
  },
  {
    email: 'admin@demo.ticketgate.test',
    role: 'admin',
    name: 'Administrator',
    phone: '+6591000006',
    credits: 0,
    note: 'everything, incl. transfer reversal',
  },
];

export interface SeedReport {
  created: boolean;
  accounts: DemoAccount[];
  events: { id: string; name: string; hall: string; seats: number }[];
}

const DAY = 24 * 3600 * 1000;

/**
 * Demo venues, halls, events, seats and accounts. Idempotent: a database that
 * already holds the demo accounts is left alone, so restarts never duplicate.
 */
export async function seedDemo(ctx: Pick<AppContext, 'pool' | 'config' | 'now'>): Promise<SeedReport> {
  const existing = await ctx.pool.query<{ id: string }>('SELECT id FROM users WHERE lower(email) = $1', [DEMO_ACCOUNTS[0]!.email]);
  if (existing.rowCount) {
    const { rows } = await ctx.pool.query<{ id: string; name: string; hall_id: string; seats: number }>(
      `SELECT e.id, e.name, e.hall_id, count(s.id)::int AS seats FROM events e LEFT JOIN seats s ON s.event_id = e.id
        GROUP BY e.id ORDER BY e.event_date`,
    );
    return {
      created: false,
      accounts: DEMO_ACCOUNTS,
      events: rows.map((r) => ({ id: r.id, name: r.name, hall: r.hall_id, seats: r.seats })),
    };
  }
  const params = passwordParams(ctx.config);
  const hashes: string[] = [];
  for (const _ of DEMO_ACCOUNTS) hashes.push(await hashPassword(DEMO_PASSWORD, params));

  return withTransaction(ctx.pool, async (db) => {
    // Serialises concurrent seeders (two instances starting together).
    await db.query('SELECT pg_advisory_xact_lock(742001)');
    const again = await db.query('SELECT 1 FROM users WHERE lower(email) = $1', [DEMO_ACCOUNTS[0]!.email]);
    if (again.rowCount) return { created: false, accounts: DEMO_ACCOUNTS, events: [] };

    const userIds = new Map<string, string>();
    for (const [i, a] of DEMO_ACCOUNTS.entries()) {
      const { rows } = await db.query<{ id: string }>(
        `INSERT INTO users (email, phone, display_name, password_hash, role, is_flagged, balance_cents)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
        [a.email, a.phone, a.name, hashes[i], a.role, a.flagged ?? false, a.credits],
      );
      userIds.set(a.email, rows[0]!.id);
      if (a.credits > 0) {
        await db.query(
          `INSERT INTO credit_ledger (user_id, amount_cents, balance_after, kind, reference_type) VALUES ($1, $2, $2, 'OPENING', 'seed')`,
          [rows[0]!.id, a.credits],
        );
      }
    }

    const venue = async (name: string, address: string) =>
      (
        await db.query<{ id: string }>("INSERT INTO venues (name, address, city) VALUES ($1, $2, 'Singapore') RETURNING id", [
          name,
          address,
        ])
      ).rows[0]!.id;
    const stadium = await venue('Singapore Indoor Stadium', '2 Stadium Walk, Singapore 397691');
    const theatre = await venue('Esplanade Theatre', '1 Esplanade Drive, Singapore 038981');
    await db.query(`INSERT INTO halls (id, venue_id, name) VALUES ('HALL-A', $1, 'Main Arena'), ('HALL-B', $2, 'Theatre Hall')`, [
      stadium,
      theatre,
    ]);
    const venueOfHall: Record<string, string> = { 'HALL-A': stadium, 'HALL-B': theatre };
    for (const a of DEMO_ACCOUNTS.filter((x) => x.role === 'staff' || x.role === 'operator')) {
      for (const hall of a.halls ?? Object.keys(venueOfHall)) {
        await db.query('INSERT INTO venue_assignments (user_id, venue_id) VALUES ($1, $2)', [userIds.get(a.email), venueOfHall[hall]]);
      }
    }

    const event = async (
      name: string,
      venueId: string,
      hall: string,
      at: Date,
      prices: Record<string, number>,
      about: [EventType, string],
    ) => {
      const id = (
        await db.query<{ id: string }>(
          `INSERT INTO events (venue_id, hall_id, name, event_date, event_type, description, city) VALUES ($1, $2, $3, $4, $5, $6, 'Singapore') RETURNING id`,
          [venueId, hall, name, at, ...about],
        )
      ).rows[0]!.id;
      for (const [category, cents] of Object.entries(prices)) {
        await db.query('INSERT INTO event_categories (event_id, category, price_cents) VALUES ($1, $2, $3)', [id, category, cents]);
      }
      return id;
    };
    const now = ctx.now();
    const bigShow = await event(
      'TicketGate Live: Arena Night',
      stadium,
      'HALL-A',
      new Date(now + 30 * DAY),
      { CAT1: 350_00, CAT2: 200_00, CAT3: 120_00 },
      ['music', 'The TicketGate house band and guests: a night of rock and pop in the main arena.'],
    );
    // 50 rows x 100 seats: 10 rows CAT1, 20 rows CAT2, 20 rows CAT3 = 5,000 seats.
    const rows = rowLabels(50);
    await insertSeatBlocks(db, bigShow, [
      { rows: rows.slice(0, 10), seatsPerRow: 100, category: 'CAT1' },
      { rows: rows.slice(10, 30), seatsPerRow: 100, category: 'CAT2' },
      { rows: rows.slice(30), seatsPerRow: 100, category: 'CAT3' },
    ]);
    const smallShow = await event('Chamber Evening', theatre, 'HALL-B', new Date(now + 14 * DAY), { STALLS: 80_00, CIRCLE: 50_00 }, [
      'music',
      'A string quartet plays Haydn and Beethoven: classical chamber music in the theatre hall.',
    ]);
    await insertSeatBlocks(db, smallShow, [
      { rows: rowLabels(4), seatsPerRow: 20, category: 'STALLS' },
      { rows: rowLabels(2, 4), seatsPerRow: 20, category: 'CIRCLE' },
    ]);
    const pastShow = await event('Opening Night (past)', stadium, 'HALL-A', new Date(now - 10 * DAY), { GA: 60_00 }, [
      'music',
      'The opening concert of the season.',
    ]);
    await insertSeatBlocks(db, pastShow, [{ rows: rowLabels(2), seatsPerRow: 50, category: 'GA' }]);

    return {
      created: true,
      accounts: DEMO_ACCOUNTS,
      events: [
        { id: smallShow, name: 'Chamber Evening', hall: 'HALL-B', seats: 120 },
        { id: bigShow, name: 'TicketGate Live: Arena Night', hall: 'HALL-A', seats: 5000 },
        { id: pastShow, name: 'Opening Night (past)', hall: 'HALL-A', seats: 100 },
      ],
    };
  });
}
