import { z } from 'zod';
import { ERROR_CODES, type ErrorCode } from './error-codes.js';

const codes = Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]];

export const ErrorCodeSchema = z.enum(codes);

/** Failure envelope of every API error; `details` names failing fields, `correlation_id` ties an internal error to the log. */
export const ErrorEnvelope = z
  .object({
    success: z.literal(false),
    error_code: ErrorCodeSchema,
    message: z.string(),
    details: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
    correlation_id: z.string().optional(),
  })
  .meta({ id: 'ErrorEnvelope' });
export type ErrorEnvelope = z.infer<typeof ErrorEnvelope>;

/** Success envelope around `data`. */
export function ok<T extends z.ZodType>(data: T) {
  return z.object({ success: z.literal(true), data });
}

export const Pagination = z.object({
  page: z.number().int(),
  per_page: z.number().int(),
  total: z.number().int(),
  total_pages: z.number().int(),
});
export type Pagination = z.infer<typeof Pagination>;

export function paginated<T extends z.ZodType>(item: T) {
  return z.object({ success: z.literal(true), data: z.array(item), pagination: Pagination });
}

export const PageQuery = z.object({
  page: z.coerce.number().int().min(1).default(1),
  per_page: z.coerce.number().int().min(1).max(100).default(20),
});
export type PageQuery = z.infer<typeof PageQuery>;

/** Money travels as decimal major units (`350.00`) and lives as integer cents. */
export const MoneyAmount = z
  .number()
  .finite()
  .refine((v) => Math.abs(Math.round(v * 100) - v * 100) < 1e-6, 'at most two decimal places');

export function toCents(amount: number): number {
  return Math.round(amount * 100);
}
export function fromCents(cents: number | bigint | string): number {
  return Number(cents) / 100;
}
