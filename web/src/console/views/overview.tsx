import { Link } from '../../router.js';
import { ErrorNote, Loading, Screen } from '../../ui.js';
import { EventsTable } from '../parts/events-table.js';
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
          <EventsTable caption="Upcoming events in your venues" label="overview-events" events={scope.events} />
        </>
      )}
    </Screen>
  );
}
