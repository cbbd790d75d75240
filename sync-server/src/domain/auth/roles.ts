export const ROLES = ['fan', 'staff', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

const RANK: Record<Role, number> = { fan: 0, staff: 1, operator: 2, admin: 3 };

/** Roles are ordered: an admin may do what an operator may, and so on. */
export function hasRole(actual: Role, atLeast: Role): boolean {
  return RANK[actual] >= RANK[atLeast];
}
