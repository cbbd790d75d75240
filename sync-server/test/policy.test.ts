import { describe, expect, it } from 'vitest';
import { DomainError } from '../src/domain/errors.js';
import {
  actingUserId,
  chatSender,
  isSupport,
  ownUserId,
  partyOf,
  requireConversationAccess,
  requireConversationList,
  requireConversationWrite,
  requireDeviceHall,
  requireInitiatingParty,
  requireOrderAccess,
  requireOwnRefreshToken,
  requireOwnStaffId,
  requireParty,
  requireSeller,
  requireTransferView,
  requireLiveChatJoin,
  requireOwnRecommendations,
  requireTicketValidation,
  type Actor,
} from '../src/policy/access.js';

const fan: Actor = { id: 'fan-1', role: 'fan' };
const other: Actor = { id: 'fan-2', role: 'fan' };
const staff: Actor = { id: 'staff-1', role: 'staff' };
const operator: Actor = { id: 'op-1', role: 'operator' };
const admin: Actor = { id: 'admin-1', role: 'admin' };
const transfer = { seller_id: fan.id, buyer_id: other.id };

/** The rule refused with FORBIDDEN (and nothing else). */
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

describe('access policy', () => {
  it('ownUserId: purchase and transfer flows act for the caller only, whatever the role', () => {
    expect(ownUserId(fan, undefined)).toBe(fan.id);
    expect(ownUserId(admin, admin.id)).toBe(admin.id);
    for (const caller of [other, staff, operator, admin])
      expect(refused(() => ownUserId(caller, fan.id))).toMatch(/nobody acts for another user/);
  });

  it('requireSeller: only the seller cancels a pending transfer', () => {
    expect(() => requireSeller(fan.id, transfer)).not.toThrow();
    for (const caller of [other, admin]) refused(() => requireSeller(caller.id, transfer));
  });

  it('acting user: the token user, or anyone for an admin', () => {
    expect(actingUserId(fan, undefined)).toBe(fan.id);
    expect(actingUserId(fan, fan.id)).toBe(fan.id);
    expect(actingUserId(admin, other.id)).toBe(other.id);
    expect(refused(() => actingUserId(fan, other.id))).toMatch(/user_id must be your own/);
    expect(refused(() => actingUserId(operator, other.id, 'buyer_id'))).toMatch(/^buyer_id/);
  });

  it('staff_id is the token user even for an admin', () => {
    requireOwnStaffId(staff, undefined);
    requireOwnStaffId(staff, staff.id);
    refused(() => requireOwnStaffId(admin, staff.id));
  });

  it('orders: the owner or an admin', () => {
    requireOrderAccess(fan, { user_id: fan.id });
    requireOrderAccess(admin, { user_id: fan.id });
    refused(() => requireOrderAccess(other, { user_id: fan.id }));
    refused(() => requireOrderAccess(operator, { user_id: fan.id }));
  });

  it('refresh tokens rotate only for their user', () => {
    requireOwnRefreshToken(fan.id, fan.id);
    refused(() => requireOwnRefreshToken(fan.id, other.id));
  });

  it('transfers: parties confirm and initiate; parties and admins see', () => {
    expect(partyOf(transfer, fan.id)).toBe('seller');
    expect(partyOf(transfer, other.id)).toBe('buyer');
    expect(partyOf(transfer, admin.id)).toBeNull();
    expect(requireParty(transfer, other.id, 'confirm')).toBe('buyer');
    expect(refused(() => requireParty(transfer, admin.id, 'confirm'))).toMatch(/may confirm this transfer/);
    requireInitiatingParty(other.id, transfer);
    refused(() => requireInitiatingParty(staff.id, transfer));
    requireTransferView(fan, transfer);
    requireTransferView(admin, transfer);
    refused(() => requireTransferView(operator, transfer));
  });

  it('conversations: participants, and support for every one', () => {
    expect(isSupport(fan)).toBe(false);
    expect(isSupport(staff)).toBe(true);
    requireConversationAccess(fan, true);
    requireConversationAccess(staff, false);
    refused(() => requireConversationAccess(fan, false));
    requireConversationWrite(false, { started: false, joined: false });
    requireConversationWrite(false, { started: true, joined: true });
    requireConversationWrite(true, { started: true, joined: false });
    refused(() => requireConversationWrite(false, { started: true, joined: false }));
    requireConversationList(fan, fan.id);
    requireConversationList(staff, fan.id);
    refused(() => requireConversationList(other, fan.id));
  });

  it('chat senders: users as themselves and as users; support for anyone and as agent', () => {
    expect(chatSender(fan, { senderId: undefined, senderType: 'user' })).toBe(fan.id);
    expect(chatSender(staff, { senderId: fan.id, senderType: 'agent' })).toBe(fan.id);
    expect(refused(() => chatSender(fan, { senderId: other.id, senderType: 'user' }))).toMatch(/sender_id/);
    expect(refused(() => chatSender(fan, { senderId: fan.id, senderType: 'agent' }))).toMatch(/agent/);
  });

  it('gates read only the events of their hall', () => {
    requireDeviceHall({ hallId: 'h1' }, { hall_id: 'h1' });
    expect(refused(() => requireDeviceHall({ hallId: 'h1' }, { hall_id: 'h2' }))).toMatch(/not in hall h1/);
  });
});

describe('access policy of the Veritix services', () => {
  const service = { service: true } as const;

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
