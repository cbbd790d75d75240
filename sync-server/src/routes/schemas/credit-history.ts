import { z } from 'zod';
import { AUTH_ERRORS, documentErrors } from '../../http/error-docs.js';

// Response schema of routes/credit-history.ts, with its OpenAPI description and error table.

export const LedgerEntry = z.object({
  id: z.number().int(),
  kind: z.enum(['OPENING', 'TOPUP', 'PURCHASE', 'TRANSFER_IN', 'TRANSFER_OUT', 'REVERSAL_IN', 'REVERSAL_OUT', 'ADJUSTMENT']),
  amount: z.number().describe('Signed, major units: positive credits you received, negative what you spent'),
  balance_after: z.number().describe('Total credits after this movement, major units'),
  reference_type: z.string().nullable().describe('What caused it: order, transfer, topup, …'),
  reference_id: z.string().nullable(),
  created_at: z.string().describe('ISO 8601, UTC'),
});

export const docs = documentErrors("The caller's credit ledger, newest first: every top-up, purchase and transfer that moved credits.", [
  ...AUTH_ERRORS,
  ['VALIDATION_ERROR', 'Bad query (page ≥ 1, 1 ≤ per_page ≤ 100)'],
]);
