import { canSeeVenue, type VenueScope } from './venues.js';
import { hasRole, type Role } from '../domain/auth/roles.js';
import { DomainError } from '../domain/errors.js';

/**
 * Who may act on which user, order, transfer, conversation and event: every
 * access rule of the server, as pure functions over the caller (from the
 * token) and the facts of the resource. Each refuses with FORBIDDEN and a
 * message saying what would be allowed; routes call them before the domain
 * call, and domain code calls them where the facts are only known inside its
 * transaction (the locked order, the locked transfer).
 */
export interface Actor {
  id: string;
  role: Role;
}

const forbidden = (message: string): never => {
  throw new DomainError('FORBIDDEN', message);
};

/** Support staff (staff and above) may write as an agent and answer escalations of their venues. */
export function isSupport(actor: Actor): boolean {
  return hasRole(actor.role, 'staff');
}

export function requireSupport(actor: Actor): void {
  if (!isSupport(actor)) forbidden('Support staff only.');
}

/**
 * Reading (balances): where a query names a user (`user_id`), it must be the
 * caller, unless the caller is an admin looking at someone else. Returns the
 * user whose data is read.
 */
export function actingUserId(actor: Actor, claimed: string | undefined, field = 'user_id'): string {
  if (claimed === undefined || claimed === actor.id) return actor.id;
  if (hasRole(actor.role, 'admin')) return claimed;
  return forbidden(`${field} must be your own user id (it comes from your token).`);
}

/**
 * Purchase and transfer flows act only for the token's user, whatever the
 * caller's role: nobody — operator or admin — reserves, pays, verifies a code
 * or transfers for someone else. What admins do for others has its own
 * endpoints (reverse, uphold). A `user_id` in the body may only repeat the caller's.
 */
export function ownUserId(actor: Actor, claimed: string | undefined, field = 'user_id'): string {
  if (claimed === undefined || claimed === actor.id) return actor.id;
  return forbidden(`${field} must be your own user id (it comes from your token); nobody acts for another user here.`);
}

/** A scan is logged under the token's user: a different staff_id would misattribute it, even for an admin. */
export function requireOwnStaffId(actor: Actor, staffId: string | undefined): void {
  if (staffId !== undefined && staffId !== actor.id) forbidden('staff_id must be your own user id.');
}

/** An order is paid by the user who reserved it, or by an admin. */
export function requireOrderAccess(actor: Actor, order: { user_id: string }): void {
  const owner = orderOwnerFilter(actor);
  if (owner !== null && order.user_id !== owner) forbidden('This order belongs to another user.');
}

/**
 * The same rule for a statement that finds and locks the order itself (pay_order):
 * the owner the order must have, or null when the caller may act on anyone's (an admin).
 */
export function orderOwnerFilter(actor: Actor): string | null {
  return hasRole(actor.role, 'admin') ? null : actor.id;
}

/** A refresh token rotates only for the user it was issued to. */
export function requireOwnRefreshToken(accessUserId: string, tokenUserId: string): void {
  if (tokenUserId !== accessUserId) forbidden('That refresh token belongs to another user.');
}

export type Party = 'seller' | 'buyer';
type Parties = { seller_id: string; buyer_id: string };

/** Which side of the transfer the user is on, or null for a third party. */
export function partyOf(t: Parties, userId: string): Party | null {
  if (userId === t.seller_id) return 'seller';
  if (userId === t.buyer_id) return 'buyer';
  return null;
}

/** Confirming, disputing or verifying a code: only the seller or the buyer. */
export function requireParty(t: Parties, userId: string, action: string): Party {
  return partyOf(t, userId) ?? forbidden(`Only the seller or the buyer may ${action} this transfer.`);
}

/** A pending transfer is cancelled by its seller (the ticket's owner), and by nobody else. */
export function requireSeller(callerId: string, t: Parties): void {
  if (callerId !== t.seller_id) forbidden('Only the seller may cancel this transfer.');
}

/** A transfer is initiated by one of its own parties (either may start it). */
export function requireInitiatingParty(callerId: string, t: Parties): void {
  if (!partyOf(t, callerId)) forbidden('You may only initiate a transfer as its seller or its buyer.');
}

/** A transfer is shown to its parties and to admins. */
export function requireTransferView(actor: Actor, t: Parties): void {
  if (!partyOf(t, actor.id) && !hasRole(actor.role, 'admin')) forbidden('Only the parties of a transfer or an admin may see it.');
}

/**
 * What decides access to a conversation: whether the caller has written in it,
 * and whether it was escalated to support of one of the caller's venues
 * (an escalation names its venue or event in its metadata).
 */
export interface ConversationFacts {
  participant: boolean;
  escalatedToCallersVenue: boolean;
}

/**
 * A conversation is read by its participants, by admins, and by support staff
 * (staff, operators) of a venue it was escalated to: never by staff merely
 * because they are staff.
 */
export function canReadConversation(actor: Actor, facts: ConversationFacts): boolean {
  if (hasRole(actor.role, 'admin') || facts.participant) return true;
  return isSupport(actor) && facts.escalatedToCallersVenue;
}

export function requireConversationAccess(actor: Actor, facts: ConversationFacts): void {
  if (!canReadConversation(actor, facts)) forbidden('You are not part of this conversation.');
}

/**
 * Writing: anyone may start a conversation; once started, only those who may
 * read it (`mayRead`) or have written in it (`joined`, checked under the
 * conversation's lock) write on.
 */
export function requireConversationWrite(mayRead: boolean, conversation: { started: boolean; joined: boolean }): void {
  if (!mayRead && conversation.started && !conversation.joined) forbidden('You are not part of this conversation.');
}

/** A user lists their own conversations; only an admin lists someone else's. */
export function requireConversationList(actor: Actor, userId: string): void {
  if (userId !== actor.id && !hasRole(actor.role, 'admin')) forbidden('You may list only your own conversations.');
}

/**
 * Who a chat message is sent as: always the token's user (a `sender_id` naming
 * anyone else is refused, whatever the role); only support writes as an agent.
 */
export function chatSender(actor: Actor, claimed: { senderId: string | undefined; senderType: string }): string {
  if (claimed.senderId !== undefined && claimed.senderId !== actor.id)
    forbidden('sender_id must be your own user id (it comes from your token).');
  if (claimed.senderType === 'agent' && !isSupport(actor)) forbidden('Only support staff send as agent.');
  return actor.id;
}

/** A gate reads only the events of the hall it was enrolled in. */
export function requireDeviceHall(device: { hallId: string }, event: { hall_id: string }): void {
  if (event.hall_id !== device.hallId) forbidden(`This event is not in hall ${device.hallId}.`);
}

/** A back-office service authenticated by its key (X-Service-Key), acting for no user. */
export interface Service {
  service: true;
}

/**
 * Looking at a ticket credential without checking it in (Veritix validate-qr):
 * a back-office service, or staff and above. Staff accounts are not tied to
 * venues yet, so every staff member passes for every venue; the venue is part
 * of the question so that tying them changes this rule only.
 */
export function requireTicketValidation(caller: Actor | Service, venueId: string, scope: VenueScope): void {
  if ('service' in caller) return;
  if (!isSupport(caller)) forbidden('Only staff may validate tickets.');
  // Staff and operators validate only tickets of the venues they are assigned to, as at /api/verify.
  if (!canSeeVenue(scope, venueId)) forbidden('This ticket is for a venue you are not assigned to.');
}

/** Recommendations are personal: a user asks for their own, a service for anyone's. */
export function requireOwnRecommendations(caller: Actor | Service, userId: string): void {
  if (!('service' in caller) && caller.id !== userId) forbidden('You may ask only for your own recommendations.');
}

/**
 * Opening a live chat socket: the user in the path is the caller, and the
 * conversation is one they may write in (a new one, one they have written
 * in, or one they may read: admins, support of a venue it was escalated to),
 * so a stranger, or support of another venue, cannot listen in.
 */
export function requireLiveChatJoin(
  actor: Actor,
  pathUserId: string,
  conversation: { started: boolean; joined: boolean },
  mayRead: boolean,
): void {
  if (pathUserId !== actor.id) forbidden('The user in the path must be you.');
  requireConversationWrite(mayRead, conversation);
}
