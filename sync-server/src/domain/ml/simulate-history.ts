import type { AppContext } from '../../context.js';
import { startSession } from '../auth/sessions.js';
import { decideFlag, recordFlags } from '../fraud/flags.js';
import { payOrder } from '../purchase/pay-order.js';
import { reserveSeat } from '../purchase/reserve-seat.js';
import { between, intBetween, pick, seededRandom } from './random.js';

export interface SimulationOptions {
  fans: number;
  bots: number;
  seed?: number;
  /** Share of fans an operator reviews (every bot is reviewed: they stand out in the rules' flags). */
  fanReviewShare?: number;
  /** Share of reviews decided wrongly, as real reviewers sometimes do. */
  reviewErrorRate?: number;
  /** How far back the history starts. */
  days?: number;
}

export interface SimulationReport {
  fans: string[];
  bots: string[];
  orders: number;
  reviewed: number;
}

interface UpcomingEvent {
  id: string;
  type: string;
  date: Date;
  /** Categories, most expensive first. */
  categories: string[];
}

const DAY = 24 * 3600 * 1000;
const CREDITS_CENTS = 100_000_00;
export const SIMULATION_REVIEW_RULE = 'review_sample';

/**
 * Writes a purchase history of ordinary fans and scalper bots into the
 * database, and operator decisions on part of it, so the scalper model and the
 * recommender train and are evaluated on database rows. Accounts are inserted
 * directly (one shared password hash: hashing per account would dominate the
 * run); logins go through the session service and purchases through the
 * purchase service (hold, then pay), on a clock set to each simulated moment.
 *
 * Fans have a favourite type of show and mostly buy it, one to three seats at a
 * time at an unhurried pace, on accounts months or years old, from one or two
 * devices. Bots buy the dearest seats of several events in bursts of many seats,
 * on accounts days old, from many devices and shared addresses. Both groups
 * have exceptions (families buying six seats, patient bots on old accounts), so
 * the classes overlap as real ones do. Reviews: every bot and a share of fans
 * get a review flag that an operator confirms (bots) or dismisses (fans), a few
 * of them wrongly.
 */
export async function simulateHistory(ctx: AppContext, opts: SimulationOptions): Promise<SimulationReport> {
  const rnd = seededRandom(opts.seed ?? 1);
  const now = ctx.now();
  const start = now - (opts.days ?? 20) * DAY;
  const events = await upcomingEvents(ctx, now);
  if (events.length < 4) throw new Error('simulateHistory needs at least 4 upcoming events with seats (seed the demo catalogue)');
  const types = [...new Set(events.map((e) => e.type))];
  const tag = `${opts.seed ?? 1}-${now.toString(36)}`;

  const fans = await createAccounts(ctx, 'fan', opts.fans, tag, () => (rnd() < 0.1 ? between(rnd, 0, 12) : between(rnd, 40, 2500)));
  const bots = await createAccounts(ctx, 'bot', opts.bots, tag, () => (rnd() < 0.15 ? between(rnd, 60, 400) : between(rnd, 0, 14)));
  const plans: Plan[] = [];
  for (const f of fans) {
    const favourite = pick(rnd, types);
    const own = events.filter((e) => e.type === favourite);
    const count = intBetween(rnd, 1, 4);
    const chosen = new Set<UpcomingEvent>();
    while (chosen.size < count) chosen.add(rnd() < 0.8 && own.length ? pick(rnd, own) : pick(rnd, events));
    const device = `${f.id}-home`;
    for (const e of chosen) {
      const seats = rnd() < 0.1 ? intBetween(rnd, 4, 6) : intBetween(rnd, 1, 3);
      plans.push({
        userId: f.id,
        event: e,
        seats,
        category: rnd() < 0.25 ? e.categories[0]! : e.categories[e.categories.length - 1]!,
        at: between(rnd, start, now - 3600_000),
        gapMs: between(rnd, 45_000, 180_000),
        address: `198.51.${intBetween(rnd, 0, 255)}.${intBetween(rnd, 1, 254)}`,
        sessions: rnd() < 0.3 ? [device, `${f.id}-phone`] : [device],
        seatIds: [],
      });
    }
  }
  const botAddresses = Array.from({ length: Math.max(2, Math.ceil(opts.bots / 6)) }, (_, i) => `203.0.113.${i + 1}`);
  for (const b of bots) {
    const patient = rnd() < 0.15;
    const count = intBetween(rnd, 2, 4);
    const chosen = new Set<UpcomingEvent>();
    while (chosen.size < Math.min(count, events.length)) chosen.add(pick(rnd, events));
    const devices = Array.from({ length: intBetween(rnd, patient ? 1 : 3, patient ? 3 : 8) }, (_, i) => `${b.id}-d${i}`);
    for (const e of chosen) {
      plans.push({
        userId: b.id,
        event: e,
        seats: patient ? intBetween(rnd, 2, 4) : intBetween(rnd, 4, 9),
        category: e.categories[0]!,
        at: between(rnd, start, now - 3600_000),
        gapMs: patient ? between(rnd, 30_000, 90_000) : between(rnd, 4_000, 12_000),
        address: pick(rnd, botAddresses),
        sessions: devices,
        seatIds: [],
      });
    }
  }
  plans.sort((a, b) => a.at - b.at);
  await backdateAccounts(ctx, [...fans, ...bots], plans);
  await allocateSeats(ctx, plans);

  let orders = 0;
  const queue = [...plans];
  const worker = async () => {
    for (let p = queue.shift(); p; p = queue.shift()) {
      const bought = await carryOut(ctx, p);
      orders += bought;
    }
  };
  await Promise.all([worker(), worker(), worker()]);

  const reviewed = await review(ctx, {
    fans,
    bots,
    rnd,
    share: opts.fanReviewShare ?? 0.6,
    errorRate: opts.reviewErrorRate ?? 0.04,
    at: now,
  });
  return { fans: fans.map((f) => f.id), bots: bots.map((b) => b.id), orders, reviewed };
}

interface Plan {
  userId: string;
  event: UpcomingEvent;
  seats: number;
  category: string;
  at: number;
  gapMs: number;
  address: string;
  sessions: string[];
  /** Chosen before any purchase runs, in time order, so the history does not depend on how the runs interleave. */
  seatIds: string[];
}

/** First come, first served: each plan gets the free seats of its category (others when those run out). */
async function allocateSeats(ctx: AppContext, plans: Plan[]): Promise<void> {
  const { rows } = await ctx.pool.query<{ id: string; event_id: string; category: string }>(
    `SELECT id, event_id, category FROM seats WHERE status = 'AVAILABLE' AND event_id = ANY($1)
      ORDER BY length(row_label), row_label, seat_number`,
    [[...new Set(plans.map((p) => p.event.id))]],
  );
  const free = new Map<string, { id: string; category: string }[]>();
  for (const r of rows) free.set(r.event_id, [...(free.get(r.event_id) ?? []), r]);
  for (const p of plans) {
    const seats = free.get(p.event.id) ?? [];
    const preferred = seats.filter((s) => s.category === p.category);
    const taken = [...preferred, ...seats.filter((s) => s.category !== p.category)].slice(0, p.seats);
    const ids = new Set(taken.map((s) => s.id));
    free.set(
      p.event.id,
      seats.filter((s) => !ids.has(s.id)),
    );
    p.seatIds = taken.map((s) => s.id);
  }
}

/** A context whose clock stands at `ms`: what the services see during the simulated moment. */
const at = (ctx: AppContext, ms: number): AppContext => ({ ...ctx, now: () => ms });

async function carryOut(ctx: AppContext, p: Plan): Promise<number> {
  // Logins before buying: one session per device seen in the last days.
  for (const [i] of p.sessions.entries()) await startSession(at(ctx, p.at - (i + 1) * 3_600_000), { id: p.userId, role: 'fan' });
  for (const [i, seatId] of p.seatIds.entries()) {
    const t = p.at + i * p.gapMs;
    const hold = await reserveSeat(at(ctx, t), { userId: p.userId, seatId, clientAddress: p.address });
    await payOrder(at(ctx, t + 5_000), { actor: { id: p.userId, role: 'fan' }, orderId: hold.orderId });
  }
  return p.seatIds.length;
}

async function upcomingEvents(ctx: AppContext, now: number): Promise<UpcomingEvent[]> {
  const { rows } = await ctx.pool.query<{ id: string; event_type: string; event_date: Date; categories: string[] }>(
    `SELECT e.id, e.event_type, e.event_date,
            array(SELECT category FROM event_categories c WHERE c.event_id = e.id ORDER BY price_cents DESC, category) AS categories
       FROM events e
      WHERE e.event_date > $1 AND EXISTS (SELECT 1 FROM seats s WHERE s.event_id = e.id AND s.status = 'AVAILABLE')
      ORDER BY e.event_date`,
    [new Date(now + DAY)],
  );
  return rows.map((r) => ({ id: r.id, type: r.event_type, date: r.event_date, categories: r.categories }));
}

interface Account {
  id: string;
  /** Age of the account at its first purchase, days. */
  ageDays: number;
}

async function createAccounts(ctx: AppContext, kind: 'fan' | 'bot', n: number, tag: string, ageDays: () => number): Promise<Account[]> {
  if (n === 0) return [];
  const { rows } = await ctx.pool.query<{ id: string }>(
    `INSERT INTO users (email, phone, display_name, password_hash, role, balance_cents)
     SELECT 'sim-' || $1 || '-' || $2 || '-' || i || '@sim.ticketgate.test', '+6588' || lpad(i::text, 6, '0'), 'Simulated ' || $1 || ' ' || i,
            '!simulated-account-no-login', 'fan', $4
       FROM generate_series(1, $3::int) AS i
     RETURNING id`,
    [kind, tag, n, CREDITS_CENTS],
  );
  await ctx.pool.query(
    `INSERT INTO credit_ledger (user_id, amount_cents, balance_after, kind, reference_type) SELECT unnest($1::uuid[]), $2, $2, 'OPENING', 'simulation'`,
    [rows.map((r) => r.id), CREDITS_CENTS],
  );
  return rows.map((r) => ({ id: r.id, ageDays: ageDays() }));
}

/** Each account was opened its age before its first simulated purchase (or login). */
async function backdateAccounts(ctx: AppContext, accounts: Account[], plans: Plan[]): Promise<void> {
  const first = new Map<string, number>();
  for (const p of plans) {
    const earliest = p.at - p.sessions.length * 3_600_000;
    first.set(p.userId, Math.min(first.get(p.userId) ?? Infinity, earliest));
  }
  const dated = accounts.filter((a) => first.has(a.id));
  await ctx.pool.query(
    `UPDATE users u SET created_at = v.created_at FROM unnest($1::uuid[], $2::timestamptz[]) AS v(id, created_at) WHERE u.id = v.id`,
    [dated.map((a) => a.id), dated.map((a) => new Date(first.get(a.id)! - a.ageDays * DAY))],
  );
}

async function review(
  ctx: AppContext,
  r: { fans: { id: string }[]; bots: { id: string }[]; rnd: () => number; share: number; errorRate: number; at: number },
): Promise<number> {
  const operator = (
    await ctx.pool.query<{ id: string }>("SELECT id FROM users WHERE role IN ('operator', 'admin') ORDER BY created_at LIMIT 1")
  ).rows[0];
  if (!operator) throw new Error('simulateHistory needs an operator account to record review decisions');
  const sample = [
    ...r.bots.map((b) => ({ id: b.id, bot: true })),
    ...r.fans.filter(() => r.rnd() < r.share).map((f) => ({ id: f.id, bot: false })),
  ];
  const when = new Date(r.at);
  await recordFlags(
    ctx.pool,
    sample.map((s) => ({ rule: SIMULATION_REVIEW_RULE, subject: s.id, userId: s.id, details: { source: 'simulation' } })),
    when,
  );
  const { rows } = await ctx.pool.query<{ id: string; user_id: string }>(
    'SELECT id, user_id FROM fraud_flags WHERE rule = $1 AND user_id = ANY($2)',
    [SIMULATION_REVIEW_RULE, sample.map((s) => s.id)],
  );
  const isBot = new Map(sample.map((s) => [s.id, s.bot]));
  for (const f of rows) {
    const right = r.rnd() >= r.errorRate;
    const confirm = isBot.get(f.user_id) === right;
    await decideFlag(ctx.pool, {
      flagId: f.id,
      decision: confirm ? 'confirm' : 'dismiss',
      operatorId: operator.id,
      at: when,
      venueIds: null,
    });
  }
  return rows.length;
}
