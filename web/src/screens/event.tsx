import { ApiError, type EventDetail, type Payment, type Reservation, type SeatStatusDelta } from '@ticketgate/ui/api';
import { Countdown } from '@ticketgate/ui/components';
import { errorText } from '@ticketgate/ui/errors';
import { clock, dateInWords, money } from '@ticketgate/ui/time';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { useLoad, useNow, useVisiblePoll } from '../hooks.js';
import { Link, navigate } from '../router.js';
import { applySeatChanges, categoryColours, layoutSeats, type SeatLayout } from '../seat-layout.js';
import { api, useUser } from '../session.js';
import { ErrorNote, Loading, Note, Screen, formValues } from '../ui.js';
import { SeatMap } from './seat-map.js';

/** How often an open seat map asks for changes (a few bytes while nothing changed). */
const POLL_MS = 3000;

interface Hold {
  index: number;
  order: Reservation;
  /** Local clock time the hold ends (from the server's ttl_seconds, so a wrong phone clock does not matter). */
  endsAt: number;
}

export function EventPage({ id }: { id: string }) {
  const { data: event, error } = useLoad(() => api.call<EventDetail>('GET', `/api/events/${id}`), [id]);
  const layout = useMemo(() => (event ? layoutSeats(event.seats) : null), [event]);
  const colours = useMemo(() => categoryColours(layout?.categories ?? []), [layout]);
  const [version, setVersion] = useState(0);
  const cursor = useRef<number | null>(null);
  const [selected, setSelected] = useState(-1);
  const [held, setHeld] = useState(-1);
  const [stale, setStale] = useState(false);

  useVisiblePoll(
    async () => {
      if (!event || !layout) return;
      const since = cursor.current ?? event.cursor;
      const delta = await api.call<SeatStatusDelta>('GET', `/api/events/${id}/seats?since=${since}`);
      if (!applySeatChanges(layout, delta)) return setStale(true);
      cursor.current = delta.cursor;
      if (delta.seats.length > 0) setVersion((v) => v + 1);
    },
    POLL_MS,
    [event, layout, id],
  );

  if (error)
    return (
      <Screen title="Event">
        <ErrorNote text={error} />
      </Screen>
    );
  if (!event || !layout)
    return (
      <Screen title="Event">
        <Loading what="the seat map" />
      </Screen>
    );
  return (
    <Screen title={event.name}>
      <p>
        {dateInWords(event.event_date)} · {event.venue.name}, {event.hall_id}
      </p>
      {stale ? <Note text="The hall's seating changed. Reload the page to see the new map." /> : null}
      <Legend event={event} colours={colours} />
      <SeatMap layout={layout} colours={colours} version={version} selected={selected} mine={held} onPick={setSelected} />
      <Purchase layout={layout} selected={selected} onSelect={setSelected} onHold={setHeld} onChanged={() => setVersion((v) => v + 1)} />
      <RowList layout={layout} version={version} onPick={setSelected} />
    </Screen>
  );
}

function Legend({ event, colours }: { event: EventDetail; colours: Record<string, string> }) {
  return (
    <ul class="legend" aria-label="Legend">
      {Object.entries(event.pricing_tiers).map(([cat, price]) => (
        <li key={cat}>
          <span class="swatch" style={{ background: colours[cat] }} /> {cat} {money(price)}
        </li>
      ))}
      <li>
        <span class="swatch taken" /> Sold or held
      </li>
      <li>
        <span class="swatch picked" /> Your choice
      </li>
      <li>
        <span class="swatch held" /> Held for you
      </li>
    </ul>
  );
}

/** The keyboard and screen-reader way to a seat: a row, then its free seats as buttons. */
function RowList({ layout, version, onPick }: { layout: SeatLayout; version: number; onPick: (i: number) => void }) {
  const [row, setRow] = useState(layout.rows[0] ?? '');
  const free = useMemo(
    () => layout.seats.flatMap((s, i) => (s.row_number === row && s.status === 'AVAILABLE' ? [i] : [])),
    [layout, row, version],
  );
  return (
    <details class="card row-list">
      <summary>Choose from a list instead</summary>
      <label for="row-select">Row</label>{' '}
      <select id="row-select" value={row} onChange={(e) => setRow(e.currentTarget.value)}>
        {layout.rows.map((r) => (
          <option key={r} value={r}>
            Row {r}
          </option>
        ))}
      </select>
      <p class="muted" role="status">
        {free.length} free seat{free.length === 1 ? '' : 's'} in row {row}
      </p>
      <ul class="seat-buttons">
        {free.map((i) => {
          const s = layout.seats[i]!;
          return (
            <li key={s.seat_id}>
              <button
                type="button"
                onClick={() => onPick(i)}
                aria-label={`Row ${s.row_number}, seat ${s.seat_number}, ${s.category}, ${money(s.price)}`}
              >
                {s.seat_number}
              </button>
            </li>
          );
        })}
      </ul>
    </details>
  );
}

function Purchase({
  layout,
  selected,
  onSelect,
  onHold,
  onChanged,
}: {
  layout: SeatLayout;
  selected: number;
  onSelect: (i: number) => void;
  /** The seat held for this fan (its index), or -1: the map draws it as theirs. */
  onHold: (index: number) => void;
  onChanged: () => void;
}) {
  const user = useUser();
  const now = useNow(250);
  const [hold, setHold] = useState<Hold | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [otp, setOtp] = useState(false);
  const [paid, setPaid] = useState<Payment | null>(null);
  const seat = layout.seats[selected];
  const left = hold ? (hold.endsAt - now) / 1000 : 0;
  useEffect(() => onHold(hold ? hold.index : -1), [hold]);

  const expire = () => {
    if (!hold) return;
    const s = layout.seats[hold.index]!;
    s.status = 'AVAILABLE';
    setHold(null);
    setOtp(false);
    setNote(
      `Your hold on row ${s.row_number}, seat ${s.seat_number} ended: the ${clock(hold.order.ttl_seconds)} to pay ran out and the seat was released. ` +
        'If nobody else took it, you can choose it again.',
    );
    onSelect(hold.index);
    onChanged();
  };
  useEffect(() => {
    if (hold && left <= 0) expire();
  }, [hold, left <= 0]);

  const reserve = async () => {
    if (!user) return navigate(`/login?next=${encodeURIComponent(location.pathname)}`);
    setBusy(true);
    setError(null);
    setNote(null);
    try {
      const order = await api.post<Reservation>('/api/reserve', { seat_id: seat!.seat_id });
      seat!.status = 'HELD';
      setHold({ index: selected, order, endsAt: Date.now() + order.ttl_seconds * 1000 });
      onChanged();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  const pay = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = await api.post<Payment>('/api/pay', { order_id: hold!.order.order_id });
      layout.seats[hold!.index]!.status = 'SOLD';
      api.updateUser({ credit_balance: r.remaining_balance });
      setPaid(r);
      setHold(null);
      setOtp(false);
      onChanged();
    } catch (err) {
      if (err instanceof ApiError && err.code === 'OTP_REQUIRED') setOtp(true);
      else if (err instanceof ApiError && (err.code === 'HOLD_EXPIRED' || err.code === 'SEAT_NOT_HELD')) expire();
      else setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  const verifyOtp = async (e: Event) => {
    const f = formValues(e);
    setBusy(true);
    setError(null);
    try {
      await api.post('/api/verify-otp', { otp_code: f.code!.trim(), context: 'purchase', reference_id: hold!.order.order_id });
      setOtp(false);
      setBusy(false);
      await pay();
    } catch (err) {
      setError(errorText(err));
      if (err instanceof ApiError && err.code === 'OTP_MAX_RETRIES') {
        layout.seats[hold!.index]!.status = 'AVAILABLE';
        setHold(null);
        setOtp(false);
        onChanged();
      }
    } finally {
      setBusy(false);
    }
  };

  if (paid) {
    return (
      <div class="card panel success" role="status">
        <h2>Ticket bought</h2>
        <p>
          {paid.message} {money(paid.credits_charged)} paid with credits; {money(paid.remaining_balance)} left.
        </p>
        <Link class="button primary" href={`/tickets/${paid.seat_id}`}>
          Show my ticket
        </Link>
      </div>
    );
  }
  if (hold) {
    const s = layout.seats[hold.index]!;
    return (
      <div class="card panel" aria-live="polite">
        <h2>
          Row {s.row_number}, seat {s.seat_number} is held for you
        </h2>
        <Countdown secondsLeft={left} total={hold.order.ttl_seconds} label="Pay within" />
        <p>
          {s.category} · {money(s.price)} · you have {money(user?.credit_balance ?? 0)} in credits
        </p>
        {otp ? (
          <form class="form" onSubmit={(e) => void verifyOtp(e)}>
            <p>Your account needs a security check: we sent a 6-digit code by SMS to your phone.</p>
            <label>
              Code from the SMS
              <input name="code" inputMode="numeric" autocomplete="one-time-code" pattern="\d{6}" maxLength={6} required />
            </label>
            <button type="submit" class="primary" disabled={busy}>
              Verify and pay
            </button>
          </form>
        ) : (
          <button type="button" class="primary" disabled={busy} onClick={() => void pay()}>
            {busy ? 'Paying…' : `Pay ${money(s.price)} with credits`}
          </button>
        )}
        <ErrorNote text={error} />
        {error && /credits/.test(error) ? <Link href="/credits">Top up credits</Link> : null}
      </div>
    );
  }
  return (
    <div class="card panel" aria-live="polite">
      <Note text={note} />
      {seat ? (
        <>
          <h2>
            Row {seat.row_number}, seat {seat.seat_number}
          </h2>
          <p>
            {seat.category} · {money(seat.price)}
          </p>
          {seat.status === 'AVAILABLE' ? (
            <button type="button" class="primary" disabled={busy} onClick={() => void reserve()}>
              {user ? 'Reserve this seat' : 'Log in to reserve'}
            </button>
          ) : (
            <p>This seat is {seat.status === 'HELD' ? 'held by someone else right now' : 'sold'}. Choose another one.</p>
          )}
        </>
      ) : (
        <p>Choose a seat on the map or from the list.</p>
      )}
      <ErrorNote text={error} />
    </div>
  );
}
