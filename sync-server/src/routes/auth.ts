import { fromCents, ok } from '@ticketgate/protocol';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { login } from '../domain/auth/login.js';
import { warmPasswordChecks } from '../domain/auth/passwords.js';
import { registerUser } from '../domain/auth/register.js';
import { ROLES } from '../domain/auth/roles.js';
import { endSession, rotateRefreshToken, type TokenPair } from '../domain/auth/sessions.js';
import { spendableCents, userProfile, type UserProfile } from '../domain/auth/users.js';
import { AppError } from '../http/app-error.js';
import { AUTH_ERRORS, documentErrors } from '../http/error-docs.js';
import { rateLimitHook, useRateLimits } from '../http/rate-limits.js';
import { bearerToken } from '../plugins/auth.js';

const Email = z.email('must be a valid email address').max(254);
const Password = z.string().min(8, 'must be at least 8 characters').max(256);
const Phone = z.string().regex(/^\+[1-9][0-9]{7,14}$/, 'must be an international number like +6591234567 (E.164)');

const RegisterBody = z.object({
  email: Email,
  phone: Phone,
  password: Password,
  name: z.string().trim().min(1).max(100).optional().describe("Display name; defaults to the email's local part"),
});
const Registered = z.object({ user_id: z.uuid(), email: z.string(), message: z.string() });

const LoginBody = z.object({ email: Email, password: z.string().min(1).max(256) });
const PublicUser = z.object({
  user_id: z.uuid(),
  email: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
  credit_balance: z.number().describe('Spendable credits in major units (balance minus credits frozen by disputes)'),
});
const Tokens = z.object({
  access_token: z.string(),
  refresh_token: z.string().describe('Single use: each refresh returns a new one'),
  token_type: z.literal('Bearer'),
  expires_in: z.number().int().describe('Access token lifetime in seconds'),
});
const LoginResult = Tokens.extend({ user: PublicUser });
const LogoutBody = z
  .object({ refresh_token: z.string().min(1).max(4096).optional().describe("Also revoke this refresh token's session") })
  .nullish();
const Profile = PublicUser.extend({
  phone: z.string(),
  is_flagged: z.boolean(),
  frozen_credits: z.number().describe('Credits frozen by open disputes, in major units'),
  created_at: z.string(),
});
const Message = z.object({ message: z.string() });

const publicUser = (u: UserProfile): z.infer<typeof PublicUser> => ({
  user_id: u.id,
  email: u.email,
  name: u.name,
  role: u.role,
  credit_balance: fromCents(spendableCents(u)),
});
const tokens = (t: TokenPair): z.infer<typeof Tokens> => ({
  access_token: t.accessToken,
  refresh_token: t.refreshToken,
  token_type: 'Bearer',
  expires_in: t.expiresIn,
});
const emailOf = (req: FastifyRequest): string => (req.body as { email: string }).email.toLowerCase();

const authDocs = (perMinute: number) => {
  const limited = `Rate limited to ${perMinute} attempts a minute per client address and per email.`;
  return {
    register: documentErrors(`Public. New accounts have role fan and 0 credits. ${limited}`, [
      ['VALIDATION_ERROR', 'Missing field, invalid email, phone not E.164 (+6591234567), password shorter than 8 characters'],
      ['EMAIL_ALREADY_EXISTS', 'The email is registered already (case-insensitive)'],
      ['RATE_LIMITED', 'Too many attempts from this address or for this email'],
      ['SERVICE_UNAVAILABLE', 'Too many sign-ins waiting for password hashing, or the server is shutting down: retry shortly'],
    ]),
    login: documentErrors(
      `Public. Access token (\`expires_in\` seconds) and a refresh token. Unknown email and wrong password fail alike. ${limited}`,
      [
        ['VALIDATION_ERROR', 'Missing email or password'],
        ['UNAUTHORIZED', 'Invalid credentials'],
        ['RATE_LIMITED', 'Too many attempts from this address or for this email'],
        ['SERVICE_UNAVAILABLE', 'Too many sign-ins waiting for password hashing, or the server is shutting down: retry shortly'],
      ],
    ),
    refresh: documentErrors(
      'Send `Authorization: Bearer <refresh_token>`. Rotation: each refresh token works once and the answer carries a new one; ' +
        'replaying a used one revokes its whole session.',
      [
        ['UNAUTHORIZED', 'Invalid refresh token, already used (the session is then revoked), or revoked by logout'],
        ['TOKEN_EXPIRED', 'Refresh token expired: log in again'],
      ],
    ),
    logout: documentErrors(
      "Blocklists the access token until its expiry and revokes the session's refresh tokens (and the session of `refresh_token`, if given).",
      [
        ...AUTH_ERRORS,
        ['VALIDATION_ERROR', 'Body failed validation'],
        ['FORBIDDEN', 'refresh_token belongs to another user'],
      ],
    ),
    me: documentErrors("The caller's profile.", [...AUTH_ERRORS, ['USER_NOT_FOUND', 'The account no longer exists']]),
  };
};

/** Register, login, refresh (with rotation), logout, and the caller's profile. */
export const authRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;
  await useRateLimits(app);
  const perMinute = ctx.config.RATE_LIMIT_AUTH_PER_MINUTE;
  const docs = authDocs(perMinute);
  // Per address before the body is parsed; per account once the email is known,
  // so neither many accounts from one address nor many addresses on one account get far.
  const limited = () => ({
    onRequest: rateLimitHook(app, [{ max: perMinute }]),
    preHandler: rateLimitHook(app, [{ max: perMinute, key: emailOf }]),
  });
  app.addHook('onReady', () => warmPasswordChecks(ctx.config));

  app.post(
    '/auth/register',
    {
      ...limited(),
      schema: {
        tags: ['Auth'],
        summary: 'Create a fan account',
        description: docs.register.description,
        body: RegisterBody,
        response: { 201: ok(Registered), ...docs.register.errors },
      },
    },
    async (req, reply) => {
      const user = await registerUser(ctx, req.body);
      return reply.status(201).send({ success: true, data: { user_id: user.id, email: user.email, message: 'Account created successfully' } });
    },
  );

  app.post(
    '/auth/login',
    {
      ...limited(),
      schema: {
        tags: ['Auth'],
        summary: 'Log in: access token and refresh token',
        description: docs.login.description,
        body: LoginBody,
        response: { 200: ok(LoginResult), ...docs.login.errors },
      },
    },
    async (req) => {
      const { user, tokens: pair } = await login(ctx, req.body.email, req.body.password);
      return { success: true as const, data: { ...tokens(pair), user: publicUser(user) } };
    },
  );

  app.post(
    '/auth/refresh',
    {
      schema: {
        tags: ['Auth'],
        summary: 'Trade a refresh token for a new access token and a new refresh token',
        description: docs.refresh.description,
        security: [{ bearer: [] }],
        response: { 200: ok(Tokens), ...docs.refresh.errors },
      },
    },
    async (req) => ({ success: true as const, data: tokens(await rotateRefreshToken(ctx, bearerToken(req))) }),
  );

  app.post(
    '/auth/logout',
    {
      onRequest: app.authenticate,
      schema: {
        tags: ['Auth'],
        summary: 'Log out: revoke the access token and its session',
        description: docs.logout.description,
        security: [{ bearer: [] }],
        body: LogoutBody,
        response: { 200: ok(Message), ...docs.logout.errors },
      },
    },
    async (req) => {
      const user = req.user!;
      await endSession(ctx, { userId: user.id, jti: user.jti, exp: user.exp, token: bearerToken(req) }, req.body?.refresh_token);
      return { success: true as const, data: { message: 'Successfully logged out' } };
    },
  );

  app.get(
    '/auth/me',
    {
      onRequest: app.authenticate,
      schema: {
        tags: ['Auth'],
        summary: "The caller's profile",
        description: docs.me.description,
        security: [{ bearer: [] }],
        response: { 200: ok(Profile), ...docs.me.errors },
      },
    },
    async (req) => {
      const u = await userProfile(ctx.pool, req.user!.id);
      if (!u) throw new AppError('USER_NOT_FOUND');
      return {
        success: true as const,
        data: {
          ...publicUser(u),
          phone: u.phone,
          is_flagged: u.isFlagged,
          frozen_credits: fromCents(u.frozenCents),
          created_at: u.createdAt.toISOString(),
        },
      };
    },
  );
};
