import type { AppContext } from '../../context.js';
import { DomainError } from '../errors.js';

export interface Registration {
  email: string;
  phone: string;
  password: string;
  name?: string | undefined;
}

/** New accounts are fans with no credits; the display name defaults to the email's local part. */
export async function registerUser(
  ctx: Pick<AppContext, 'pool' | 'passwords'>,
  input: Registration,
): Promise<{ id: string; email: string }> {
  // Checked before hashing so a taken email does not cost an argon2id run; the
  // unique index still decides when two registrations race.
  const taken = await ctx.pool.query('SELECT 1 FROM users WHERE lower(email) = lower($1)', [input.email]);
  if (taken.rowCount) throw new DomainError('EMAIL_ALREADY_EXISTS');
  const hash = await ctx.passwords.hash(input.password);
  const name = input.name ?? input.email.slice(0, input.email.lastIndexOf('@'));
  try {
    const { rows } = await ctx.pool.query<{ id: string; email: string }>(
      `INSERT INTO users (email, phone, display_name, password_hash, role) VALUES ($1, $2, $3, $4, 'fan') RETURNING id, email`,
      [input.email, input.phone, name, hash],
    );
    return rows[0]!;
  } catch (err) {
    if ((err as { code?: string }).code === '23505') throw new DomainError('EMAIL_ALREADY_EXISTS');
    throw err;
  }
}
