import type { Pool, Queryable } from '../../db/pool.js';
import { DomainError } from '../errors.js';

export interface Hall {
  id: string;
  venueId: string;
  name: string;
}

export interface Venue {
  id: string;
  name: string;
  address: string;
  city: string;
  halls: Omit<Hall, 'venueId'>[];
}

const pgCode = (err: unknown): string | undefined => (err as { code?: string }).code;

export async function createVenue(db: Queryable, input: { name: string; address: string; city: string }): Promise<Venue> {
  const { rows } = await db.query<{ id: string; name: string; address: string; city: string }>(
    'INSERT INTO venues (name, address, city) VALUES ($1, $2, $3) RETURNING id, name, address, city',
    [input.name, input.address, input.city],
  );
  return { ...rows[0]!, halls: [] };
}

/** Hall codes are public and permanent (printed on tickets, inside QR codes): a taken one is a CONFLICT. */
export async function createHall(db: Queryable, input: Hall): Promise<Hall> {
  try {
    await db.query('INSERT INTO halls (id, venue_id, name) VALUES ($1, $2, $3)', [input.id, input.venueId, input.name]);
    return input;
  } catch (err) {
    if (pgCode(err) === '23503') throw new DomainError('VENUE_NOT_FOUND');
    if (pgCode(err) === '23505') throw new DomainError('CONFLICT', `Hall ${input.id} already exists.`);
    throw err;
  }
}

export async function listVenues(pool: Pool): Promise<Venue[]> {
  const { rows } = await pool.query<Venue>(
    `SELECT v.id, v.name, v.address, v.city,
            coalesce(json_agg(json_build_object('id', h.id, 'name', h.name) ORDER BY h.id) FILTER (WHERE h.id IS NOT NULL), '[]') AS halls
       FROM venues v LEFT JOIN halls h ON h.venue_id = v.id
      GROUP BY v.id ORDER BY v.name, v.id`,
  );
  return rows;
}

/** Both exist and the hall is the venue's (an event happens in one hall of its venue). */
export async function checkHallOfVenue(db: Queryable, venueId: string, hallId: string): Promise<void> {
  const { rows } = await db.query<{ venue_exists: boolean; hall_venue: string | null }>(
    `SELECT EXISTS (SELECT 1 FROM venues WHERE id = $1) AS venue_exists, (SELECT venue_id FROM halls WHERE id = $2) AS hall_venue`,
    [venueId, hallId],
  );
  const r = rows[0]!;
  if (!r.venue_exists) throw new DomainError('VENUE_NOT_FOUND');
  if (r.hall_venue === null) throw new DomainError('HALL_NOT_FOUND');
  if (r.hall_venue !== venueId) {
    throw new DomainError('VALIDATION_ERROR', `Hall ${hallId} belongs to another venue.`, [
      { field: 'body.hall_id', message: 'hall does not belong to venue_id' },
    ]);
  }
}
