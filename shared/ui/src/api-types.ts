// The shapes of the API answers the browser apps read. The server's zod
// schemas (sync-server/src/routes) are the source of truth and /docs/json their
// OpenAPI rendering; these are the fields the apps use, checked against the
// real server by the web app's end-to-end test.
import type { ErrorEnvelope, Pagination, ScanResult } from '@ticketgate/protocol';

export type { ErrorEnvelope, Pagination, ScanResult };
export type Role = 'fan' | 'staff' | 'operator' | 'admin';
export type SeatStatus = 'AVAILABLE' | 'HELD' | 'SOLD' | 'CHECKED_IN';

export interface PublicUser {
  user_id: string;
  email: string;
  name: string;
  role: Role;
  credit_balance: number;
}
export interface Tokens {
  access_token: string;
  refresh_token: string;
  token_type: 'Bearer';
  expires_in: number;
}
export interface LoginResult extends Tokens {
  user: PublicUser;
}
export interface Profile extends PublicUser {
  phone: string;
  is_flagged: boolean;
  frozen_credits: number;
  created_at: string;
}
export interface EventSummary {
  event_id: string;
  name: string;
  venue: { venue_id: string; name: string; address?: string };
  hall_id: string;
  event_date: string;
  total_seats: number;
  available_seats: number;
  pricing_tiers: Record<string, number>;
}
export interface Seat {
  seat_id: string;
  row_number: string;
  seat_number: number;
  status: SeatStatus;
  category: string;
  price: number;
}
export interface EventDetail extends EventSummary {
  /** Change cursor of this map: GET /api/events/{id}/seats?since=<cursor> answers what changed since. */
  cursor: number;
  seats: Seat[];
}
export interface SeatStatusDelta {
  event_id: string;
  since: number;
  cursor: number;
  /** Every seat is listed (the cursor was unknown to the server). */
  full: boolean;
  seats: { seat_id: string; status: SeatStatus }[];
}
export interface Reservation {
  order_id: string;
  seat_id: string;
  status: 'HELD';
  held_until: string;
  ttl_seconds: number;
  message: string;
}
export interface Payment {
  order_id: string;
  seat_id: string;
  status: 'CONFIRMED';
  credits_charged: number;
  remaining_balance: number;
  message: string;
}
export interface Balance {
  user_id: string;
  credit_balance: number;
  spendable_credits: number;
  frozen_credits: number;
  total_credits: number;
}
export interface LedgerEntry {
  id: number;
  kind: string;
  amount: number;
  balance_after: number;
  reference_type: string | null;
  reference_id: string | null;
  created_at: string;
}
export interface TopUp {
  client_secret: string;
  payment_intent_id: string;
  amount: number;
  currency: string;
  message: string;
}
export interface PaymentClientConfig {
  provider: 'stripe' | 'standin' | 'none';
  publishable_key: string | null;
  api_url: string | null;
  currency: string;
}
export interface Ticket {
  seat_id: string;
  event: { event_id: string; name: string; event_date: string; hall_id: string };
  row_number: string;
  seat_number: number;
  category: string;
  status: 'SOLD' | 'CHECKED_IN';
  price_paid: number | null;
  purchased_at: string | null;
}
export interface TicketQr {
  qr_payload: string;
  generated_at: string;
  expires_at: string;
  ttl_seconds: number;
}
export type TransferStatus = 'PENDING_OTP' | 'COMPLETED' | 'FAILED' | 'CANCELLED' | 'DISPUTED' | 'REVERSED';
export interface Transfer {
  transfer_id: string;
  status: TransferStatus;
  seat_id: string;
  event_id: string;
  event_name: string;
  row_number: string;
  seat_number: number;
  seller_user_id: string;
  buyer_user_id: string;
  initiated_by: string;
  credits_amount: number;
  seller_verified: boolean;
  buyer_verified: boolean;
  expires_at: string;
  created_at: string;
  completed_at: string | null;
  closed_reason: string | null;
  dispute: { reason: string; disputed_by: string; disputed_at: string; frozen_credits: number } | null;
  resolution: 'REVERSED' | 'UPHELD' | null;
  resolved_at: string | null;
  credits_returned: number | null;
}
export interface FoundUser {
  user_id: string;
  name: string;
}
/** Chat answers have the Veritix shape (no envelope) on success. */
export interface ChatMessage {
  id: string;
  sender_id: string;
  sender_type: 'user' | 'agent';
  content: string;
  timestamp: string;
}
export interface ChatHistory {
  conversation_id: string;
  messages: ChatMessage[];
  count: number;
}
