import type { Config } from '../../config.js';
import type { Queryable } from '../../db/pool.js';
import type { FlagHit } from './flags.js';

export interface LiveRuleSettings {
  /** Only activity after this is examined. */
  since: Date;
  now: Date;
  addressPurchasesPer10Min: number;
  accountPurchasesPerDay: number;
  transfersPerTicket: number;
  travelMinutes: number;
  bulkSharePercent: number;
  bulkMinSeats: number;
}

export function liveRuleSettings(config: Config, now: number): LiveRuleSettings {
  return {
    since: new Date(now - config.FRAUD_LOOKBACK_HOURS * 3600_000),
    now: new Date(now),
    addressPurchasesPer10Min: config.FRAUD_ADDRESS_PURCHASES_PER_10_MIN,
    accountPurchasesPerDay: config.FRAUD_ACCOUNT_PURCHASES_PER_DAY,
    transfersPerTicket: config.FRAUD_TRANSFERS_PER_TICKET,
    travelMinutes: config.FRAUD_TRAVEL_MINUTES,
    bulkSharePercent: config.FRAUD_BULK_SHARE_PERCENT,
    bulkMinSeats: config.FRAUD_BULK_MIN_SEATS,
  };
}

export interface LiveRule {
  name: string;
  find(db: Queryable, s: LiveRuleSettings): Promise<FlagHit[]>;
}

type Row = { subject: string; user_id: string | null; details: Record<string, unknown> };
const hits = (rule: string, rows: Row[]): FlagHit[] =>
  rows.map((r) => ({ rule, subject: r.subject, userId: r.user_id, details: r.details }));

/**
 * More than N paid purchases from one client address within any 10 minutes.
 * One flag per address and UTC day; it names the account that crossed the line.
 */
const addressBurst: LiveRule = {
  name: 'address_purchase_burst',
  async find(db, s) {
    const { rows } = await db.query<Row>(
      `WITH w AS (
         SELECT p.address_hash, p.user_id, p.recorded_at,
                count(*) OVER (PARTITION BY p.address_hash ORDER BY p.recorded_at
                               RANGE BETWEEN interval '10 minutes' PRECEDING AND CURRENT ROW) AS n
           FROM purchase_origins p JOIN orders o ON o.id = p.order_id AND o.status = 'CONFIRMED'
          WHERE p.recorded_at > $1
       ), crossed AS (
         SELECT DISTINCT ON (address_hash, (recorded_at AT TIME ZONE 'UTC')::date) address_hash, user_id, recorded_at, n
           FROM w WHERE n > $2 ORDER BY address_hash, (recorded_at AT TIME ZONE 'UTC')::date, recorded_at
       )
       SELECT address_hash || ':' || to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS subject, user_id,
              json_build_object('address_hash', left(address_hash, 12), 'purchases_in_10_min', n, 'first_over_at', recorded_at,
                'accounts', (SELECT count(DISTINCT w2.user_id) FROM w w2 WHERE w2.address_hash = crossed.address_hash
                               AND w2.recorded_at BETWEEN crossed.recorded_at - interval '10 minutes' AND crossed.recorded_at)) AS details
         FROM crossed`,
      [s.since, s.addressPurchasesPer10Min],
    );
    return hits(this.name, rows);
  },
};

/** More than N seats bought by one account in one UTC day. One flag per account and day. */
const accountDailyVolume: LiveRule = {
  name: 'account_daily_volume',
  async find(db, s) {
    const { rows } = await db.query<Row>(
      `SELECT user_id || ':' || day AS subject, user_id, json_build_object('day', day, 'purchases', n) AS details
         FROM (SELECT user_id, to_char(confirmed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, count(*) AS n
                 FROM orders WHERE status = 'CONFIRMED' AND confirmed_at > $1 GROUP BY 1, 2) d
        WHERE n > $2`,
      [s.since, s.accountPurchasesPerDay],
    );
    return hits(this.name, rows);
  },
};

/** One ticket changing hands N times or more (touts passing it along). One flag per ticket; it names the latest seller. */
const repeatedTransfers: LiveRule = {
  name: 'repeated_ticket_transfers',
  async find(db, s) {
    const { rows } = await db.query<Row>(
      `SELECT seat_id::text AS subject,
              (array_agg(seller_id ORDER BY completed_at DESC))[1] AS user_id,
              json_build_object('seat_id', seat_id, 'transfers', count(*),
                                'accounts', (SELECT count(DISTINCT u) FROM unnest(array_agg(seller_id) || array_agg(buyer_id)) AS u)) AS details
         FROM transfers WHERE completed_at IS NOT NULL
        GROUP BY seat_id
       HAVING count(*) >= $2 AND max(completed_at) > $1`,
      [s.since, s.transfersPerTicket],
    );
    return hits(this.name, rows);
  },
};

/**
 * One ticket presented at halls of two different venues within a time no one
 * could travel: a copied credential. One flag per ticket; it names the owner.
 */
const impossibleTravel: LiveRule = {
  name: 'impossible_travel_scan',
  async find(db, s) {
    const { rows } = await db.query<Row>(
      `WITH located AS (
         SELECT sc.seat_id, sc.scanned_at, h.venue_id, h.id AS hall_id
           FROM scans sc LEFT JOIN devices d ON d.id = sc.device_id
           JOIN halls h ON h.id = coalesce(sc.hall_id, d.hall_id)
          WHERE sc.seat_id IS NOT NULL AND sc.scanned_at > $1
       )
       SELECT DISTINCT ON (a.seat_id) a.seat_id::text AS subject, st.owner_user_id AS user_id,
              json_build_object('seat_id', a.seat_id, 'first', json_build_object('hall', a.hall_id, 'at', a.scanned_at),
                                'second', json_build_object('hall', b.hall_id, 'at', b.scanned_at),
                                'minutes_apart', round(extract(epoch FROM b.scanned_at - a.scanned_at) / 60)) AS details
         FROM located a
         JOIN located b ON b.seat_id = a.seat_id AND b.venue_id <> a.venue_id
                       AND b.scanned_at >= a.scanned_at AND b.scanned_at < a.scanned_at + make_interval(mins => $2)
         JOIN seats st ON st.id = a.seat_id
        ORDER BY a.seat_id, a.scanned_at`,
      [s.since, s.travelMinutes],
    );
    return hits(this.name, rows);
  },
};

/** One account holding (bought or held) more than a share of an upcoming event's seats. One flag per account and event. */
const bulkAllocation: LiveRule = {
  name: 'bulk_allocation',
  async find(db, s) {
    const { rows } = await db.query<Row>(
      `WITH cap AS (
         SELECT e.id, (SELECT count(*) FROM seats x WHERE x.event_id = e.id) AS capacity FROM events e WHERE e.event_date > $1
       )
       SELECT holder || ':' || seats.event_id AS subject, holder AS user_id,
              json_build_object('event_id', seats.event_id, 'seats', count(*), 'capacity', cap.capacity) AS details
         FROM (SELECT event_id, coalesce(owner_user_id, held_by) AS holder FROM seats WHERE status <> 'AVAILABLE') seats
         JOIN cap ON cap.id = seats.event_id
        GROUP BY holder, seats.event_id, cap.capacity
       HAVING count(*) > greatest($2::float8, cap.capacity * $3::float8 / 100)`,
      [s.now, s.bulkMinSeats, s.bulkSharePercent],
    );
    return hits(this.name, rows);
  },
};

export const LIVE_RULES: readonly LiveRule[] = [addressBurst, accountDailyVolume, repeatedTransfers, impossibleTravel, bulkAllocation];
