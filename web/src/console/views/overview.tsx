import { dateInWords } from '@ticketgate/ui/time';
import { Link } from '../../router.js';
import { ErrorNote, Loading, Screen } from '../../ui.js';
import { DataTable } from '../parts/data-table.js';
import { useScope } from '../scope.js';

/** The start page: the operator's venues and upcoming events, with the way to each show-day view. */
export function OverviewView() {
  const scope = useScope();
  return (
    <Screen title="Overview">
      <ErrorNote text={scope.error} />
      {!scope.loaded ? (
        <Loading what="your venues" />
      ) : (
        <>
          <p>
            Before doors: <Link href="/console/catalog">import seats</Link>, then <Link href="/console/gates">enrol the gates</Link>. During
            the show: <Link href="/console/live">watch the doors</Link> and <Link href="/console/conflicts">handle conflicts</Link>.
          </p>
          <DataTable
            caption="Upcoming events in your venues"
            label="overview-events"
            columns={[
              { title: 'Event', cell: (e) => e.name },
              { title: 'Venue', cell: (e) => e.venue.name },
              { title: 'Hall', cell: (e) => e.hall_id },
              { title: 'Starts', cell: (e) => dateInWords(e.event_date) },
              { title: 'Seats', num: true, cell: (e) => e.total_seats },
              { title: 'Available', num: true, cell: (e) => e.available_seats },
            ]}
            rows={scope.events}
            rowKey={(e) => e.event_id}
            empty="No upcoming events."
          />
        </>
      )}
    </Screen>
  );
}
