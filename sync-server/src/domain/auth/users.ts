import type { Queryable } from '../../db/pool.js';
import type { Role } from './roles.js';

export interface UserProfile {
  id: string;
  email: string;
  phone: string;
  name: string;
  role: Role;
  isFlagged: boolean;
  balanceCents: number;
  frozenCents: number;
  createdAt: Date;
  /** Disabled accounts cannot log in or refresh, and their sessions have ended. */
  disabled: boolean;
}

interface UserRow {
  id: string;
  email: string;
  phone: string;
  display_name: string;
  role: Role;
  is_flagged: boolean;
  balance_cents: number;
  frozen_cents: number;
  created_at: Date;
  disabled_at: Date | null;
  password_hash: string;
}

const COLUMNS = 'id, email, phone, display_name, role, is_flagged, balance_cents, frozen_cents, created_at, disabled_at, password_hash';

function toProfile(r: UserRow): UserProfile {
  return {
    id: r.id,
    email: r.email,
    phone: r.phone,
    name: r.display_name,
    role: r.role,
    isFlagged: r.is_flagged,
    balanceCents: r.balance_cents,
    frozenCents: r.frozen_cents,
    createdAt: r.created_at,
    disabled: r.disabled_at !== null,
  };
}

/** Spendable credits: what a purchase or transfer may use (disputes freeze part of the balance). */
export const spendableCents = (u: Pick<UserProfile, 'balanceCents' | 'frozenCents'>): number => u.balanceCents - u.frozenCents;

export async function userProfile(db: Queryable, userId: string): Promise<UserProfile | null> {
  const { rows } = await db.query<UserRow>(`SELECT ${COLUMNS} FROM users WHERE id = $1`, [userId]);
  return rows[0] ? toProfile(rows[0]) : null;
}

/** Emails match case-insensitively (the unique index is on lower(email)). */
export async function userWithPasswordByEmail(db: Queryable, email: string): Promise<{ user: UserProfile; passwordHash: string } | null> {
  const { rows } = await db.query<UserRow>(`SELECT ${COLUMNS} FROM users WHERE lower(email) = lower($1)`, [email]);
  return rows[0] ? { user: toProfile(rows[0]), passwordHash: rows[0].password_hash } : null;
}
