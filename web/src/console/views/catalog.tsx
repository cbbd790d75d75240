import { useState } from 'preact/hooks';
import { ErrorNote, Loading, Screen } from '../../ui.js';
import { AddHallForm, AddVenueForm } from '../parts/catalog-forms.js';
import { CsvImport } from '../parts/csv-import.js';
import { DataTable } from '../parts/data-table.js';
import { EventsTable } from '../parts/events-table.js';
import { useScope, type ScopeHall } from '../scope.js';
import { EventSelect } from '../parts/scope-select.js';

/** Venues, halls and events of the operator's venues; seats and events added by CSV import. */
export function CatalogView() {
  const scope = useScope();
  const [seatEvent, setSeatEvent] = useState<string>('');
  const eventId = seatEvent || scope.eventId || '';
  if (!scope.loaded)
    return (
      <Screen title="Catalog">
        <ErrorNote text={scope.error} />
        <Loading what="the catalog" />
      </Screen>
    );
  return (
    <Screen title="Catalog">
      <DataTable<ScopeHall>
        caption="Venues and halls"
        label="halls"
        columns={[
          { title: 'Venue', cell: (h) => h.venue_name },
          { title: 'Hall code', cell: (h) => h.hall_id },
          { title: 'Hall', cell: (h) => h.name },
        ]}
        rows={scope.halls}
        rowKey={(h) => h.hall_id}
        empty="No venues are assigned to you."
      />
      <EventsTable caption="Upcoming events" label="events" events={scope.events} />
      <div class="grid-2">
        <CsvImport<{ inserted: number; total_seats: number }>
          id="seat-import"
          title="Import seats"
          path={eventId ? `/api/ops/events/${eventId}/seats/import` : null}
          example="row,seat_number,category / A,1,CAT1"
          describe={(r) => `Imported ${r.inserted} seats; the event now has ${r.total_seats}.`}
          onDone={scope.reload}
        >
          <EventSelect name="event" withHall value={eventId} onChange={(e) => setSeatEvent((e.currentTarget as HTMLSelectElement).value)} />
        </CsvImport>
        <CsvImport<{ imported: number }>
          id="event-import"
          title="Import events"
          path="/api/ops/events/import"
          example="hall_id,name,event_date,event_type,city,description,prices / HALL-A,Jazz Night,2027-01-15T12:00:00Z,music,,Trio,CAT1=80"
          describe={(r) => `Imported ${r.imported} events.`}
          onDone={scope.reload}
        />
      </div>
      <div class="grid-2">
        <AddVenueForm />
        <AddHallForm />
      </div>
    </Screen>
  );
}
