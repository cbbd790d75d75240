import { describe, expect, it } from 'vitest';
import { DomainError } from '../src/domain/errors.js';
import { requireLiveChatJoin, requireOwnRecommendations, requireTicketValidation, type Actor } from '../src/policy/access.js';

const fan: Actor = { id: 'fan-1', role: 'fan' };
const staff: Actor = { id: 'staff-1', role: 'staff' };
const service = { service: true } as const;

function refused(rule: () => unknown): string {
  try {
    rule();
  } catch (err) {
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).code).toBe('FORBIDDEN');
    return (err as DomainError).message;
  }
  throw new Error('the rule allowed it');
}

describe('access policy of the Veritix services', () => {
  it('ticket validation without check-in: staff and services', () => {
    requireTicketValidation(staff, 'venue-1');
    requireTicketValidation(service, 'venue-1');
    expect(refused(() => requireTicketValidation(fan, 'venue-1'))).toMatch(/Only staff/);
  });

  it('recommendations: your own, or anyone for a service', () => {
    requireOwnRecommendations(fan, fan.id);
    requireOwnRecommendations(service, 'anyone');
    expect(refused(() => requireOwnRecommendations(fan, 'fan-2'))).toMatch(/your own recommendations/);
  });

  it('live chat: yourself in the path, and a conversation you may write in', () => {
    requireLiveChatJoin(fan, fan.id, { started: false, joined: false });
    requireLiveChatJoin(fan, fan.id, { started: true, joined: true });
    requireLiveChatJoin(staff, staff.id, { started: true, joined: false });
    expect(refused(() => requireLiveChatJoin(fan, 'fan-2', { started: false, joined: false }))).toMatch(/path must be you/);
    expect(refused(() => requireLiveChatJoin(staff, fan.id, { started: true, joined: false }))).toMatch(/path must be you/);
    expect(refused(() => requireLiveChatJoin(fan, fan.id, { started: true, joined: false }))).toMatch(/not part of this conversation/);
  });
});
