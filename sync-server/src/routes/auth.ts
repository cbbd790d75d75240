import { fromCents, ok } from '@ticketgate/protocol';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { login } from '../domain/auth/login.js';
import { registerUser } from '../domain/auth/register.js';
import { endSession, rotateRefreshToken, type TokenPair } from '../domain/auth/sessions.js';
import { spendableCents, userProfile, type UserProfile } from '../domain/auth/users.js';
import { DomainError } from '../domain/errors.js';
import { enforceLimit, failsWith, limitFailures, limitHook, limitsOf } from '../http/rate-limits.js';
import { bearerToken } from '../plugins/auth.js';
import type { PublicUser } from './schemas/auth.js';
import { LoginBody, LoginResult, LogoutBody, Message, Profile, RegisterBody, Registered, Tokens, authDocs } from './schemas/auth.js';

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
/** Register, login, refresh (with rotation), logout, and the caller's profile. */
export const authRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;
  const { config, limiter } = ctx;
  const limits = limitsOf(config);
  const docs = authDocs({
    perAddress: limits.address.max,
    failuresPerMinute: config.RATE_LIMIT_AUTH_PER_MINUTE,
    failuresPerHour: config.RATE_LIMIT_AUTH_PER_HOUR,
    refreshPerMinute: limits.refresh.max,
  });
  // Per address before the body is parsed (generous); per account, failures only, in the handler (strict).
  const perAddress = limitHook(limiter, limits.address);
  const limited = () => ({ onRequest: perAddress });
  app.addHook('onReady', () => ctx.passwords.warm());

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
      return reply
        .status(201)
        .send({ success: true, data: { user_id: user.id, email: user.email, message: 'Account created successfully' } });
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
    async (req, reply) => {
      const email = req.body.email.toLowerCase();
      const { user, tokens: pair } = await limitFailures(limiter, reply, limits.loginFailures, email, failsWith('UNAUTHORIZED'), () =>
        login(ctx, email, req.body.password),
      );
      return { success: true as const, data: { ...tokens(pair), user: publicUser(user) } };
    },
  );

  app.post(
    '/auth/refresh',
    {
      onRequest: perAddress,
      schema: {
        tags: ['Auth'],
        summary: 'Trade a refresh token for a new access token and a new refresh token',
        description: docs.refresh.description,
        security: [{ bearer: [] }],
        response: { 200: ok(Tokens), ...docs.refresh.errors },
      },
    },
    async (req, reply) => {
      const token = bearerToken(req);
      const claims = await ctx.signer.verify(token, 'refresh', { now: ctx.now() });
      // Keyed by the verified session, so nobody can use up another session's refreshes.
      await enforceLimit(limiter, reply, limits.refresh, claims.fam ?? claims.jti);
      try {
        return { success: true as const, data: tokens(await rotateRefreshToken(ctx, token)) };
      } catch (err) {
        // A replayed token ended the session: this instance stops honouring it now, the others at its NOTIFY.
        if (claims.fam) ctx.sessions.forget(claims.fam);
        throw err;
      }
    },
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
      const ended = await endSession(ctx, { userId: user.id, sessionId: user.sessionId }, req.body?.refresh_token);
      for (const id of ended) ctx.sessions.forget(id);
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
      if (!u) throw new DomainError('USER_NOT_FOUND');
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
