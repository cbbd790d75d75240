import { describe, expect, it } from 'vitest';
import { ERROR_CODES, ErrorEnvelope, MoneyAmount, PageQuery, fromCents, toCents } from '../src/index.js';

describe('protocol envelope', () => {
  it('maps every error code to its HTTP status', () => {
    expect(ERROR_CODES.SEAT_UNAVAILABLE.status).toBe(409);
    expect(ERROR_CODES.HOLD_EXPIRED.status).toBe(410);
    expect(ERROR_CODES.OTP_REQUIRED.status).toBe(428);
    expect(ERROR_CODES.INSUFFICIENT_CREDITS.status).toBe(402);
  });
  it('rejects an error envelope with an unknown code', () => {
    expect(ErrorEnvelope.safeParse({ success: false, error_code: 'NOPE', message: 'x' }).success).toBe(false);
  });
  it('parses page queries with defaults and bounds', () => {
    expect(PageQuery.parse({})).toEqual({ page: 1, per_page: 20 });
    expect(PageQuery.safeParse({ per_page: '101' }).success).toBe(false);
  });
  it('keeps money exact in cents', () => {
    expect(toCents(0.1 + 0.2)).toBe(30);
    expect(fromCents(35000)).toBe(350);
    expect(MoneyAmount.safeParse(1.005).success).toBe(false);
    expect(MoneyAmount.safeParse(19.99).success).toBe(true);
  });
});
