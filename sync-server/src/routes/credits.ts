import { fromCents, ok, toCents } from '@ticketgate/protocol';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { balanceOf } from '../domain/credits/ledger.js';
import { TOPUP_CURRENCY, startTopUp } from '../domain/credits/topup.js';
import { actingUserId } from '../policy/access.js';
import { DomainError } from '../domain/errors.js';
import { Balance, BalanceQuery, TopUp, TopUpBody, docs } from './schemas/credits.js';

/** Balance and top-up (the webhook is in webhooks.ts: it is public and reads the raw body). */
export const creditRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;
  const tags = ['Credits'];
  const security = [{ bearer: [] }];

  app.get(
    '/credits/balance',
    {
      preHandler: app.authenticate,
      schema: {
        tags,
        security,
        summary: 'Credit balance of the caller',
        description: docs.balance.description,
        querystring: BalanceQuery,
        response: { 200: ok(Balance), ...docs.balance.errors },
      },
    },
    async (req) => {
      const userId = actingUserId(req.user!, req.query.user_id);
      const b = await balanceOf(ctx.pool, userId);
      if (!b) throw new DomainError('USER_NOT_FOUND');
      const spendable = fromCents(b.balanceCents - b.frozenCents);
      return {
        success: true as const,
        data: {
          user_id: userId,
          credit_balance: spendable,
          spendable_credits: spendable,
          frozen_credits: fromCents(b.frozenCents),
          total_credits: fromCents(b.balanceCents),
        },
      };
    },
  );

  app.post(
    '/credits/topup',
    {
      preHandler: app.authenticate,
      schema: {
        tags,
        security,
        summary: 'Start a credit top-up (Stripe PaymentIntent)',
        description: docs.topup.description,
        body: TopUpBody,
        response: { 200: ok(TopUp), ...docs.topup.errors },
      },
    },
    async (req) => {
      const intent = await startTopUp(ctx, { userId: req.user!.id, amountCents: toCents(req.body.amount) });
      return {
        success: true as const,
        data: {
          client_secret: intent.clientSecret,
          payment_intent_id: intent.paymentIntentId,
          amount: fromCents(intent.amountCents),
          currency: TOPUP_CURRENCY,
          message: 'Complete payment on the frontend using Stripe.js',
        },
      };
    },
  );
};
