import { z } from 'zod';
import { ROLES } from '../../domain/auth/roles.js';
import { AUTH_ERRORS, documentErrors } from '../../http/error-docs.js';

// Request and response schemas of routes/auth.ts, with their OpenAPI descriptions and error tables.

export const Email = z.email('must be a valid email address').max(254);

export const Password = z.string().min(8, 'must be at least 8 characters').max(256);

export const Phone = z.string().regex(/^\+[1-9][0-9]{7,14}$/, 'must be an international number like +6591234567 (E.164)');

export const RegisterBody = z.object({
  email: Email,
  phone: Phone,
  password: Password,
  name: z.string().trim().min(1).max(100).optional().describe("Display name; defaults to the email's local part"),
});

export const Registered = z.object({ user_id: z.uuid(), email: z.string(), message: z.string() });

export const LoginBody = z.object({ email: Email, password: z.string().min(1).max(256) });

export const PublicUser = z.object({
  user_id: z.uuid(),
  email: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
  credit_balance: z.number().describe('Spendable credits in major units (balance minus credits frozen by disputes)'),
});

export const Tokens = z.object({
  access_token: z.string(),
  refresh_token: z.string().describe('Single use: each refresh returns a new one'),
  token_type: z.literal('Bearer'),
  expires_in: z.number().int().describe('Access token lifetime in seconds'),
});

export const LoginResult = Tokens.extend({ user: PublicUser });

export const LogoutBody = z
  .object({ refresh_token: z.string().min(1).max(4096).optional().describe("Also revoke this refresh token's session") })
  .nullish();

export const Profile = PublicUser.extend({
  phone: z.string(),
  is_flagged: z.boolean(),
  frozen_credits: z.number().describe('Credits frozen by open disputes, in major units'),
  created_at: z.string(),
});

export const Message = z.object({ message: z.string() });

export const authDocs = (l: { perAddress: number; failuresPerMinute: number; failuresPerHour: number; refreshPerMinute: number }) => {
  const limited =
    `Rate limited to ${l.perAddress} requests a minute per client address (TRUST_PROXY decides which address that is), and to ` +
    `${l.failuresPerMinute} failed attempts a minute and ${l.failuresPerHour} an hour per email.`;
  return {
    register: documentErrors(`Public. New accounts have role fan and 0 credits. ${limited}`, [
      ['VALIDATION_ERROR', 'Missing field, invalid email, phone not E.164 (+6591234567), password shorter than 8 characters'],
      ['EMAIL_ALREADY_EXISTS', 'The email is registered already (case-insensitive)'],
      ['RATE_LIMITED', 'Too many requests from this address'],
      ['SERVICE_UNAVAILABLE', 'Too many sign-ins waiting for password hashing, or the server is shutting down: retry shortly'],
    ]),
    login: documentErrors(
      `Public. Access token (\`expires_in\` seconds) and a refresh token. Unknown email and wrong password fail alike. ${limited}`,
      [
        ['VALIDATION_ERROR', 'Missing email or password'],
        ['UNAUTHORIZED', 'Invalid credentials'],
        ['FORBIDDEN', 'The account is disabled'],
        ['RATE_LIMITED', 'Too many requests from this address, or too many failed attempts for this email (Retry-After says how long)'],
        ['SERVICE_UNAVAILABLE', 'Too many sign-ins waiting for password hashing, or the server is shutting down: retry shortly'],
      ],
    ),
    refresh: documentErrors(
      'Send `Authorization: Bearer <refresh_token>`. Rotation: each refresh token works once and the answer carries a new one; ' +
        'replaying a used one ends its whole session, access tokens included. ' +
        `Rate limited to ${l.perAddress} requests a minute per client address and ${l.refreshPerMinute} refreshes a minute per session.`,
      [
        ['UNAUTHORIZED', 'Invalid refresh token, already used (the session then ends), session ended by logout, or account disabled'],
        ['TOKEN_EXPIRED', 'Refresh token expired: log in again'],
        ['RATE_LIMITED', 'Too many refreshes from this address or of this session'],
      ],
    ),
    logout: documentErrors(
      'Ends the session of the access token — every access token and refresh token it issued stops working, on every server ' +
        'instance, within a second — and the session of `refresh_token`, if given.',
      [...AUTH_ERRORS, ['VALIDATION_ERROR', 'Body failed validation'], ['FORBIDDEN', 'refresh_token belongs to another user']],
    ),
    me: documentErrors("The caller's profile.", [...AUTH_ERRORS, ['USER_NOT_FOUND', 'The account no longer exists']]),
  };
};
