import { withTransaction, type Pool, type Queryable } from '../../db/pool.js';
import { DomainError } from '../errors.js';
import { eventInfo, type EventInfo } from './event-queries.js';
import type { EventType } from './event-types.js';
import { checkHallOfVenue } from './venues.js';

export interface NewEvent {
  venueId: string;
  hallId: string;
  name: string;
  eventDate: Date;
  description?: string;
  eventType?: EventType;
  /** Default: the venue's city. */
  city?: string;
  /** Category → price in cents. */
  tiersCents: Record<string, number>;
  /** The admission window of gate uploads (null: the server's defaults, docs/sync-protocol.md). */
  admission?: { opensAt: Date | null; closesAt: Date | null; skewSeconds: number | null };
}

/** An event with its pricing tiers and no seats yet (seats are added by block or CSV import). */
export async function createEvent(pool: Pool, input: NewEvent, now: number): Promise<EventInfo> {
  if (input.eventDate.getTime() <= now) {
    throw new DomainError('VALIDATION_ERROR', 'event_date must be in the future.', [
      { field: 'body.event_date', message: 'must be in the future' },
    ]);
  }
  return withTransaction(pool, async (db) => (await eventInfo(db, await insertEvent(db, input), now))!);
}

/** Inserts an event with its pricing tiers (hall and venue checked); the caller owns the transaction. */
export async function insertEvent(db: Queryable, input: NewEvent): Promise<string> {
  await checkHallOfVenue(db, input.venueId, input.hallId);
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO events (venue_id, hall_id, name, event_date, description, event_type, city,
                         admission_opens_at, admission_closes_at, admission_skew_seconds)
     VALUES ($1, $2, $3, $4, $5, $6, coalesce($7, (SELECT city FROM venues WHERE id = $1)), $8, $9, $10) RETURNING id`,
    [
      input.venueId,
      input.hallId,
      input.name,
      input.eventDate,
      input.description ?? '',
      input.eventType ?? 'other',
      input.city ?? null,
      input.admission?.opensAt ?? null,
      input.admission?.closesAt ?? null,
      input.admission?.skewSeconds ?? null,
    ],
  );
  const id = rows[0]!.id;
  const tiers = Object.entries(input.tiersCents);
  await db.query('INSERT INTO event_categories (event_id, category, price_cents) SELECT $1, * FROM unnest($2::text[], $3::bigint[])', [
    id,
    tiers.map(([c]) => c),
    tiers.map(([, cents]) => cents),
  ]);
  return id;
}
