import { MoneyAmount, fromCents } from '@ticketgate/protocol';
import { z } from 'zod';
import { TOPUP_CURRENCY, TOPUP_MAX_CENTS } from '../../domain/credits/topup.js';
import { AUTH_ERRORS, documentErrors } from '../../http/error-docs.js';

// Request and response schemas of routes/credits.ts, with their OpenAPI descriptions and error tables.

export const BalanceQuery = z.object({
  user_id: z.uuid().optional().describe("Optional; must be the token's user (admins may read anyone's)"),
});

export const Balance = z.object({
  user_id: z.uuid(),
  credit_balance: z.number().describe('Spendable credits, major units (what /api/pay can use)'),
  spendable_credits: z.number().describe('Same as credit_balance: total minus frozen'),
  frozen_credits: z.number().describe('Credits frozen by open transfer disputes'),
  total_credits: z.number().describe('Everything on the account, frozen included'),
});

export const TopUpBody = z.object({
  amount: MoneyAmount.positive('Amount must be positive')
    .max(fromCents(TOPUP_MAX_CENTS), `at most ${fromCents(TOPUP_MAX_CENTS).toFixed(2)} per top-up`)
    .describe('Credits to buy, major units with at most two decimals (100.00)'),
});

export const TopUp = z.object({
  client_secret: z
    .string()
    .describe('Confirm it with Stripe.js (in the demo: POST /v1/payment_intents/{id}/confirm on the Stripe stand-in)'),
  payment_intent_id: z.string(),
  amount: z.number(),
  currency: z.literal(TOPUP_CURRENCY),
  message: z.string(),
});

export const docs = {
  balance: documentErrors("The caller's credits: spendable, frozen by disputes, and total.", [
    ...AUTH_ERRORS,
    ['VALIDATION_ERROR', 'user_id is not a UUID'],
    ['FORBIDDEN', 'user_id names another user (admins excepted)'],
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
