import { hasRole, type Role } from '../auth/roles.js';

/**
 * Who may look at a ticket credential of a venue without checking it in: a
 * back-office service (service key) or staff and above. Staff accounts are not
 * tied to venues yet, so today every staff member passes for every venue; the
 * venue is part of the question so that tying them changes this function only.
 */
export function mayValidateTicketAt(caller: { service: true } | { role: Role }, _venueId: string): boolean {
  return 'service' in caller || hasRole(caller.role, 'staff');
}
