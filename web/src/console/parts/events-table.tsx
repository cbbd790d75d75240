import type { EventSummary } from '@ticketgate/ui/api';
import { dateInWords } from '@ticketgate/ui/time';
import { DataTable } from './data-table.js';

/** Upcoming events with where, when and how many seats are left. */
export function EventsTable({ caption, label, events }: { caption: string; label: string; events: readonly EventSummary[] }) {
  return (
    <DataTable
      caption={caption}
      label={label}
      columns={[
        { title: 'Event', cell: (e) => e.name },
        { title: 'Venue', cell: (e) => e.venue.name },
        { title: 'Hall', cell: (e) => e.hall_id },
        { title: 'Starts', cell: (e) => dateInWords(e.event_date) },
        { title: 'Seats', num: true, cell: (e) => e.total_seats },
        { title: 'Available', num: true, cell: (e) => e.available_seats },
      ]}
      rows={events}
      rowKey={(e) => e.event_id}
      empty="No upcoming events."
    />
  );
}
