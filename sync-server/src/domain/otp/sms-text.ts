import { fromCents } from '@ticketgate/protocol';
import { seatLabel } from '../catalog/seat-layout.js';

/** A seat as every SMS names it: its label (as in the seat tools) and its event. */
export function smsSeat(seat: { row_label: string; seat_number: number; event_name: string }): string {
  return `seat ${seatLabel({ row: seat.row_label, number: seat.seat_number })} (${seat.event_name})`;
}

/** What a code confirms: "<action> seat A-12 (Event) for 12.50 credits", the same words for purchases and transfers. */
export function smsSeatDeal(action: string, seat: Parameters<typeof smsSeat>[0], amountCents: number): string {
  return `${action} ${smsSeat(seat)} for ${fromCents(amountCents).toFixed(2)} credits`;
}
