import { MoneyAmount, fromCents, ok, toCents } from '@ticketgate/protocol';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { balanceOf } from '../domain/credits/ledger.js';
import { TOPUP_CURRENCY, TOPUP_MAX_CENTS, startTopUp } from '../domain/credits/topup.js';
import { actingUserId } from '../http/acting-user.js';
import { AppError } from '../http/app-error.js';
import { AUTH_ERRORS, documentErrors } from '../http/error-docs.js';

const BalanceQuery = z.object({
  user_id: z.uuid().optional().describe("Optional; must be the token's user (admins may read anyone's)"),
});
const Balance = z.object({
  user_id: z.uuid(),
  credit_balance: z.number().describe('Spendable credits, major units (what /api/pay can use)'),
  spendable_credits: z.number().describe('Same as credit_balance: total minus frozen'),
  frozen_credits: z.number().describe('Credits frozen by open transfer disputes'),
  total_credits: z.number().describe('Everything on the account, frozen included'),
});
const TopUpBody = z.object({
  amount: MoneyAmount.positive('Amount must be positive')
    .max(fromCents(TOPUP_MAX_CENTS), `at most ${fromCents(TOPUP_MAX_CENTS).toFixed(2)} per top-up`)
    .describe('Credits to buy, major units with at most two decimals (100.00)'),
});
const TopUp = z.object({
  client_secret: z.string().describe('Confirm it with Stripe.js (in the demo: POST /v1/payment_intents/{id}/confirm on the Stripe stand-in)'),
  payment_intent_id: z.string(),
  amount: z.number(),
  currency: z.literal(TOPUP_CURRENCY),
  message: z.string(),
});

const docs = {
  balance: documentErrors("The caller's credits: spendable, frozen by disputes, and total.", [
    ...AUTH_ERRORS,
    ['VALIDATION_ERROR', 'user_id is not a UUID'],
    ['FORBIDDEN', "user_id names another user (admins excepted)"],
    ['USER_NOT_FOUND', 'The user does not exist'],
  ]),
  topup: documentErrors(
    `Creates a Stripe PaymentIntent (currency ${TOPUP_CURRENCY}, the user id in its metadata) and records a PENDING top-up. ` +
      'Credits are added when Stripe reports payment_intent.succeeded to POST /api/webhooks/stripe, once per payment.',
    [
      ...AUTH_ERRORS,
      ['VALIDATION_ERROR', `Amount missing, ≤ 0, above ${fromCents(TOPUP_MAX_CENTS).toFixed(2)} or with more than two decimals`],
      ['USER_NOT_FOUND', 'The user does not exist (any more)'],
      ['INTERNAL_ERROR', 'Stripe refused to create the payment intent'],
      ['SERVICE_UNAVAILABLE', 'Stripe is unreachable, or card payments are not configured on this server'],
    ],
  ),
};

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
      if (!b) throw new AppError('USER_NOT_FOUND');
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
