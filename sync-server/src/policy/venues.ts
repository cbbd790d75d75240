import { hasRole } from '../domain/auth/roles.js';
import { DomainError } from '../domain/errors.js';
import type { Actor } from './access.js';

/**
 * Venue scoping: staff and operators act only for the venues they are assigned
 * to (table venue_assignments); admins act everywhere; fans work for no venue.
 * The scope is loaded once per request (domain/access/venue-scope.ts) and these
 * pure functions decide on it, so routes, domain code and future endpoints
 * (analytics with an operator token) ask the same question the same way.
 */
export type VenueScope = { readonly all: true } | { readonly all: false; readonly venueIds: ReadonlySet<string> };

export const ALL_VENUES: VenueScope = { all: true };

/** The scope of a caller given their assignments: an admin sees all; anyone else their assigned venues. */
export function scopeOf(actor: Actor, assignedVenueIds: Iterable<string>): VenueScope {
  if (hasRole(actor.role, 'admin')) return ALL_VENUES;
  if (!hasRole(actor.role, 'staff')) return { all: false, venueIds: new Set() };
  return { all: false, venueIds: new Set(assignedVenueIds) };
}

export function canSeeVenue(scope: VenueScope, venueId: string): boolean {
  return scope.all || scope.venueIds.has(venueId);
}

/** The venue ids to filter a listing by, or null for no filter (admins). */
export function venueFilter(scope: VenueScope): string[] | null {
  return scope.all ? null : [...scope.venueIds];
}

/** Refuses with FORBIDDEN unless the venue is in scope; `what` names the resource for the message. */
export function requireVenue(scope: VenueScope, venueId: string, what: string): void {
  if (!canSeeVenue(scope, venueId)) throw new DomainError('FORBIDDEN', `${what} belongs to a venue you are not assigned to.`);
}

/** Only admins manage venue assignments. */
export function requireAssignmentManager(actor: Actor): void {
  if (!hasRole(actor.role, 'admin')) throw new DomainError('FORBIDDEN', 'Only admins manage venue assignments.');
}

/** Only staff and operators are assigned: fans work for no venue, admins for all of them. */
export function requireAssignable(assignee: { role: string }): void {
  if (assignee.role !== 'staff' && assignee.role !== 'operator') {
    throw new DomainError('VALIDATION_ERROR', 'Only staff and operators are assigned to venues (admins see every venue).', [
      { field: 'body.user_id', message: `user has role ${assignee.role}` },
    ]);
  }
}

/** Roles are changed by admins, and not their own (an admin cannot lock the last admin out by accident). */
export function requireRoleChange(actor: Actor, userId: string): void {
  if (!hasRole(actor.role, 'admin')) throw new DomainError('FORBIDDEN', 'Only admins change roles.');
  if (actor.id === userId) throw new DomainError('FORBIDDEN', 'You cannot change your own role; ask another admin.');
}

/**
 * A stored report is read by callers whose scope covers every venue it covers:
 * an operator of venue A gets neither a platform-wide report nor one of venue B.
 */
export function requireReportScope(scope: VenueScope, reportVenueIds: readonly string[] | null): void {
  if (scope.all) return;
  if (reportVenueIds === null || !reportVenueIds.every((v) => scope.venueIds.has(v)))
    throw new DomainError('FORBIDDEN', 'This report covers venues you are not assigned to.');
}
