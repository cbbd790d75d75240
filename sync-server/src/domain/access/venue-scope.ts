import type { Queryable } from '../../db/pool.js';
import { requireVenue, scopeOf, type VenueScope } from '../../policy/venues.js';
import type { Actor } from '../../policy/access.js';
import { DomainError } from '../errors.js';

/**
 * The database facts of venue scoping: a caller's assigned venues, and the
 * venue a hall, event or device belongs to. The decisions are in policy/venues.ts.
 */

/** `venuesOf(user)`: the caller's scope (admins need no lookup). */
export async function venuesOf(db: Queryable, actor: Actor): Promise<VenueScope> {
  const unscoped = scopeOf(actor, []);
  if (unscoped.all || actor.role === 'fan') return unscoped;
  const { rows } = await db.query<{ venue_id: string }>('SELECT venue_id FROM venue_assignments WHERE user_id = $1', [actor.id]);
  return scopeOf(
    actor,
    rows.map((r) => r.venue_id),
  );
}

async function venueOfRow(db: Queryable, sql: string, id: string): Promise<string | undefined> {
  const { rows } = await db.query<{ venue_id: string }>(sql, [id]);
  return rows[0]?.venue_id;
}

/** The hall's venue; HALL_NOT_FOUND if there is no such hall. */
export async function venueOfHall(db: Queryable, hallId: string): Promise<string> {
  const v = await venueOfRow(db, 'SELECT venue_id FROM halls WHERE id = $1', hallId);
  if (!v) throw new DomainError('HALL_NOT_FOUND');
  return v;
}

export async function venueOfEvent(db: Queryable, eventId: string): Promise<string> {
  const v = await venueOfRow(db, 'SELECT venue_id FROM events WHERE id = $1', eventId);
  if (!v) throw new DomainError('EVENT_NOT_FOUND');
  return v;
}

export async function venueOfDevice(db: Queryable, deviceId: string): Promise<string> {
  const v = await venueOfRow(db, 'SELECT h.venue_id FROM devices d JOIN halls h ON h.id = d.hall_id WHERE d.id = $1', deviceId);
  if (!v) throw new DomainError('NOT_FOUND', 'Device does not exist.');
  return v;
}

/**
 * The policy check with its one fact: refuses unless the hall is in the caller's
 * venues. An unscoped caller (admin) needs no lookup, and the action itself
 * reports a hall, event or device that does not exist.
 */
export async function requireHallInScope(db: Queryable, scope: VenueScope, hallId: string): Promise<void> {
  if (scope.all) return;
  requireVenue(scope, await venueOfHall(db, hallId), `Hall ${hallId}`);
}

/** VENUE_NOT_FOUND for no such venue (so a typo is not reported as a permission problem), else the policy check. */
export async function requireVenueInScope(db: Queryable, scope: VenueScope, venueId: string): Promise<void> {
  if (scope.all) return;
  const { rowCount } = await db.query('SELECT 1 FROM venues WHERE id = $1', [venueId]);
  if (!rowCount) throw new DomainError('VENUE_NOT_FOUND');
  requireVenue(scope, venueId, 'This venue');
}

export async function requireEventInScope(db: Queryable, scope: VenueScope, eventId: string): Promise<void> {
  if (scope.all) return;
  requireVenue(scope, await venueOfEvent(db, eventId), 'This event');
}

export async function requireDeviceInScope(db: Queryable, scope: VenueScope, deviceId: string): Promise<void> {
  if (scope.all) return;
  requireVenue(scope, await venueOfDevice(db, deviceId), 'This device');
}
