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
import {
  canSeeVenue,
  requireAssignable,
  requireAssignmentManager,
  requireReportScope,
  requireVenue,
  scopeOf,
  venueFilter,
} from '../src/policy/venues.js';

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

  it('conversations: participants, admins, and support only for escalations to their venues', () => {
    expect(isSupport(fan)).toBe(false);
    expect(isSupport(staff)).toBe(true);
    const none = { participant: false, escalatedToCallersVenue: false };
    requireConversationAccess(fan, { ...none, participant: true });
    requireConversationAccess(admin, none);
    requireConversationAccess(staff, { ...none, escalatedToCallersVenue: true });
    requireConversationAccess(operator, { ...none, escalatedToCallersVenue: true });
    // The finding: any staff account read every chat.
    refused(() => requireConversationAccess(staff, none));
    refused(() => requireConversationAccess(operator, none));
    refused(() => requireConversationAccess(fan, none));
    // An escalation reaches support, not another fan.
    refused(() => requireConversationAccess(fan, { ...none, escalatedToCallersVenue: true }));
    requireConversationWrite(false, { started: false, joined: false });
    requireConversationWrite(false, { started: true, joined: true });
    requireConversationWrite(true, { started: true, joined: false });
    refused(() => requireConversationWrite(false, { started: true, joined: false }));
    requireConversationList(fan, fan.id);
    requireConversationList(admin, fan.id);
    refused(() => requireConversationList(staff, fan.id));
    refused(() => requireConversationList(other, fan.id));
  });

  it('chat senders: always the token user; only support as agent', () => {
    expect(chatSender(fan, { senderId: undefined, senderType: 'user' })).toBe(fan.id);
    expect(chatSender(staff, { senderId: staff.id, senderType: 'agent' })).toBe(staff.id);
    // The finding: staff posted with any sender_id.
    expect(refused(() => chatSender(staff, { senderId: fan.id, senderType: 'agent' }))).toMatch(/sender_id/);
    expect(refused(() => chatSender(admin, { senderId: fan.id, senderType: 'user' }))).toMatch(/sender_id/);
    expect(refused(() => chatSender(fan, { senderId: other.id, senderType: 'user' }))).toMatch(/sender_id/);
    expect(refused(() => chatSender(fan, { senderId: fan.id, senderType: 'agent' }))).toMatch(/agent/);
  });

  it('gates read only the events of their hall', () => {
    requireDeviceHall({ hallId: 'h1' }, { hall_id: 'h1' });
    expect(refused(() => requireDeviceHall({ hallId: 'h1' }, { hall_id: 'h2' }))).toMatch(/not in hall h1/);
  });

  it('stored reports: read by a caller whose venues cover every venue of the report', () => {
    const both = scopeOf(operator, ['v-a', 'v-b']);
    requireReportScope(scopeOf(admin, []), null);
    requireReportScope(both, ['v-a']);
    requireReportScope(both, ['v-a', 'v-b']);
    requireReportScope(scopeOf(operator, ['v-b']), []);
    // A platform-wide report (null) is not an operator's, even one of every venue there is today.
    expect(refused(() => requireReportScope(both, null))).toMatch(/venues you are not assigned to/);
    expect(refused(() => requireReportScope(scopeOf(operator, ['v-b']), ['v-a', 'v-b']))).toMatch(/venues you are not assigned to/);
  });

  it('venue scope: admins everywhere, staff and operators their assigned venues, fans none', () => {
    const adminScope = scopeOf(admin, []);
    expect(canSeeVenue(adminScope, 'v-a')).toBe(true);
    expect(venueFilter(adminScope)).toBeNull();
    const staffB = scopeOf(staff, ['v-b']);
    expect(canSeeVenue(staffB, 'v-b')).toBe(true);
    // The finding: any staff account checked in any ticket anywhere.
    expect(canSeeVenue(staffB, 'v-a')).toBe(false);
    expect(refused(() => requireVenue(staffB, 'v-a', 'Hall HALL-A'))).toMatch(/Hall HALL-A belongs to a venue you are not assigned to/);
    requireVenue(staffB, 'v-b', 'Hall HALL-B');
    expect(venueFilter(scopeOf(operator, ['v-a', 'v-b']))?.sort()).toEqual(['v-a', 'v-b']);
    expect(venueFilter(scopeOf(operator, []))).toEqual([]);
    // A fan's assignments (there should be none) never count.
    expect(canSeeVenue(scopeOf(fan, ['v-a']), 'v-a')).toBe(false);
  });

  it('venue assignments: managed by admins, given to staff and operators only', () => {
    requireAssignmentManager(admin);
    refused(() => requireAssignmentManager(operator));
    refused(() => requireAssignmentManager(staff));
    requireAssignable({ role: 'staff' });
    requireAssignable({ role: 'operator' });
    expect(() => requireAssignable({ role: 'fan' })).toThrow(/Only staff and operators/);
    expect(() => requireAssignable({ role: 'admin' })).toThrow(/Only staff and operators/);
  });
});

describe('access policy of the Veritix services', () => {
  const service = { service: true } as const;

  it('ticket validation without check-in: staff of that venue, and services', () => {
    const venue1 = { all: false, venueIds: new Set(['venue-1']) } as const;
    const venue2 = { all: false, venueIds: new Set(['venue-2']) } as const;
    requireTicketValidation(staff, 'venue-1', venue1);
    requireTicketValidation(service, 'venue-1', venue2);
    expect(refused(() => requireTicketValidation(fan, 'venue-1', venue1))).toMatch(/Only staff/);
    // Staff of another venue (the staff-b attack on /api/verify, replayed on /api/validate-qr).
    expect(refused(() => requireTicketValidation(staff, 'venue-1', venue2))).toMatch(/not assigned/);
  });

  it('recommendations: your own, or anyone for a service', () => {
    requireOwnRecommendations(fan, fan.id);
    requireOwnRecommendations(service, 'anyone');
    expect(refused(() => requireOwnRecommendations(fan, 'fan-2'))).toMatch(/your own recommendations/);
  });

  it('live chat: yourself in the path, and a conversation you may write in', () => {
    requireLiveChatJoin(fan, fan.id, { started: false, joined: false }, false);
    requireLiveChatJoin(fan, fan.id, { started: true, joined: true }, false);
    requireLiveChatJoin(staff, staff.id, { started: true, joined: false }, true);
    expect(refused(() => requireLiveChatJoin(fan, 'fan-2', { started: false, joined: false }, false))).toMatch(/path must be you/);
    expect(refused(() => requireLiveChatJoin(staff, fan.id, { started: true, joined: false }, true))).toMatch(/path must be you/);
    expect(refused(() => requireLiveChatJoin(fan, fan.id, { started: true, joined: false }, false))).toMatch(
      /not part of this conversation/,
    );
    // Support of another venue (the conversation was not escalated to theirs) may not listen in.
    expect(refused(() => requireLiveChatJoin(staff, staff.id, { started: true, joined: false }, false))).toMatch(
      /not part of this conversation/,
    );
  });
});
