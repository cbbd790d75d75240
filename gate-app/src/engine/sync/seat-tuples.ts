// process: engine
import type { sync } from '@ticketgate/protocol';
import type { ServerSeat } from '../store/catalog-repo.js';

/** The wire tuple [seat_id, row, number, category, status, generation, holder, admitted_at, admitted_by, admitted_device_id] as a store row. */
export function seatFromTuple(eventId: string, t: sync.SeatTuple): ServerSeat {
  const admittedAt = t[7] === null ? null : Date.parse(t[7]);
  return {
    seatId: t[0],
    eventId,
    row: t[1],
    number: t[2],
    category: t[3],
    status: t[4],
    generation: t[5],
    holder: t[6],
    admittedAt: admittedAt !== null && Number.isFinite(admittedAt) ? admittedAt : null,
    admittedBy: admittedAt === null ? null : (t[8] ?? 'another gate'),
    admittedDevice: admittedAt === null ? null : t[9],
  };
}
