import { describe, expect, it } from 'vitest';
import { seatLabel } from '../src/domain/catalog/seat-layout.js';
import { smsSeat, smsSeatDeal } from '../src/domain/otp/sms-text.js';

describe('SMS seat texts', () => {
  const seat = { row_label: 'B', seat_number: 12, event_name: 'Gala Night' };

  it('name a seat by the label the seat tools use, with its event', () => {
    expect(smsSeat(seat)).toBe(`seat ${seatLabel({ row: 'B', number: 12 })} (Gala Night)`);
    expect(smsSeat(seat)).toBe('seat B-12 (Gala Night)');
  });

  it('word purchases and transfers alike, amounts in credits with two decimals', () => {
    expect(smsSeatDeal('confirm your purchase of', seat, 12_50)).toBe('confirm your purchase of seat B-12 (Gala Night) for 12.50 credits');
    expect(smsSeatDeal('sell', seat, 8_00)).toBe('sell seat B-12 (Gala Night) for 8.00 credits');
  });
});
