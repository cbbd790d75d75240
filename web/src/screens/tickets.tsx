import { ApiError, type Ticket, type TicketQr } from '@ticketgate/ui/api';
import { Countdown, TicketFactsView, type TicketFacts } from '@ticketgate/ui/components';
import { errorText } from '@ticketgate/ui/errors';
import { QrCode } from '@ticketgate/ui/qr';
import { dateInWords } from '@ticketgate/ui/time';
import { useEffect, useState } from 'preact/hooks';
import { upcomingEvents } from '../events-cache.js';
import { useLoad, useNow } from '../hooks.js';
import { Link } from '../router.js';
import { STEP_SECONDS, stepAt } from '@ticketgate/protocol/pass-code';
import {
  bindingBody,
  codeAt,
  deviceKey,
  deviceKeysSupported,
  forgetPass,
  loadPass,
  savePass,
  type DeviceKey,
  type PassAnswer,
  type StoredPass,
} from '../device-pass.js';
import { api, useUser } from '../session.js';
import { ErrorNote, Loading, Screen } from '../ui.js';

/** Ask for the next code this long before the current one expires (codes live 60 s). */
const REFRESH_BEFORE_S = 12;

async function ticketsWithVenues(): Promise<{ ticket: Ticket; venue?: string }[]> {
  const [tickets, events] = await Promise.all([api.get<Ticket[]>('/api/tickets'), upcomingEvents().catch(() => [])]);
  const venues = new Map(events.map((e) => [e.event_id, e.venue.name]));
  return tickets.map((ticket) => ({ ticket, ...(venues.has(ticket.event.event_id) ? { venue: venues.get(ticket.event.event_id)! } : {}) }));
}

const facts = (t: Ticket, venue?: string): TicketFacts => ({
  eventName: t.event.name,
  eventDate: t.event.event_date,
  hallId: t.event.hall_id,
  venueName: venue,
  row: t.row_number,
  seat: t.seat_number,
  category: t.category,
});

export function Tickets() {
  const { data, error } = useLoad(ticketsWithVenues, []);
  return (
    <Screen title="My tickets">
      <ErrorNote text={error} />
      {!data && !error ? <Loading what="your tickets" /> : null}
      {data && !data.length ? (
        <p>
          No tickets yet. <Link href="/">Find an event</Link>
        </p>
      ) : null}
      <ul class="list">
        {data?.map(({ ticket: t, venue }) => (
          <li key={t.seat_id} class="card ticket-card">
            <Link href={`/tickets/${t.seat_id}`}>
              <h2>{t.event.name}</h2>
            </Link>
            <p>
              Row {t.row_number}, seat {t.seat_number} · {t.event.hall_id}
              {venue ? ` · ${venue}` : ''}
            </p>
            <p class="muted">{dateInWords(t.event.event_date)}</p>
            {t.status === 'CHECKED_IN' ? <p class="used-tag">Used</p> : null}
          </li>
        ))}
      </ul>
    </Screen>
  );
}

/** Keeps the screen on while a ticket is shown, where the browser allows it. */
function useWakeLock(active: boolean): boolean {
  const [held, setHeld] = useState(false);
  useEffect(() => {
    if (!active || !('wakeLock' in navigator)) return;
    let lock: WakeLockSentinel | null = null;
    let live = true;
    const acquire = async () => {
      if (document.visibilityState !== 'visible') return;
      try {
        lock = await navigator.wakeLock.request('screen');
        if (!live) return void lock.release();
        setHeld(true);
        lock.addEventListener('release', () => setHeld(false));
      } catch {
        setHeld(false);
      }
    };
    const onVisible = () => void acquire();
    onVisible();
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      live = false;
      document.removeEventListener('visibilitychange', onVisible);
      void lock?.release();
    };
  }, [active]);
  return held;
}

export function TicketPage({ seatId }: { seatId: string }) {
  const list = useLoad(ticketsWithVenues, [seatId]);
  const entry = list.data?.find((x) => x.ticket.seat_id === seatId);
  const showCode = entry?.ticket.status === 'SOLD';
  const user = useUser();
  const [mode, setMode] = useState<'pending' | 'device' | 'server' | 'elsewhere'>('pending');
  const [device, setDevice] = useState<{ pass: StoredPass; key: DeviceKey } | null>(null);
  const [deviceCode, setDeviceCode] = useState<{ text: string; nextAt: number } | null>(null);
  const [qr, setQr] = useState<{ code: TicketQr; refreshAt: number; expiresAt: number } | null>(null);
  const [qrError, setQrError] = useState<string | null>(null);
  const [gone, setGone] = useState<string | null>(null);
  const [moving, setMoving] = useState(false);
  const now = useNow(500);
  const awake = useWakeLock(showCode);

  /** The ticket left this account (transferred) or was used: no code to show any more. */
  const ended = (err: ApiError) => {
    setQr(null);
    setDevice(null);
    setGone(
      err.code === 'NOT_SEAT_OWNER'
        ? 'This ticket is no longer yours: it was transferred to another fan, and your codes stopped working.'
        : null,
    );
    list.reload();
  };

  const fetchCode = async () => {
    try {
      const code = await api.get<TicketQr>(`/api/tickets/${seatId}/qr`);
      // Timed from the answer's ttl on this phone's clock, so a phone clock that is off does not matter.
      const t = Date.now();
      setQr({ code, expiresAt: t + code.ttl_seconds * 1000, refreshAt: t + (code.ttl_seconds - REFRESH_BEFORE_S) * 1000 });
      setQrError(null);
    } catch (err) {
      if (err instanceof ApiError && (err.code === 'SEAT_UNAVAILABLE' || err.code === 'NOT_SEAT_OWNER')) ended(err);
      else if (err instanceof ApiError && err.code === 'DEVICE_ALREADY_BOUND') setMode('elsewhere');
      else setQrError(errorText(err));
    }
  };

  /**
   * The device-bound pass for this phone: asked for whenever the network answers (it
   * also tells us when the ticket moved or left), else the one stored for offline use.
   * Browsers without WebCrypto signing keys get the server's 60-second codes.
   */
  const setUpDevice = async (userId: string, replace: boolean) => {
    let key: DeviceKey;
    try {
      if (!deviceKeysSupported()) throw new Error('no device keys here');
      key = await deviceKey();
    } catch {
      setMode('server');
      return;
    }
    const stored = await loadPass(seatId, userId).catch(() => null);
    try {
      const a = await api.post<PassAnswer>(`/api/tickets/${seatId}/device`, bindingBody(key, replace));
      const pass: StoredPass = { seatId, userId, pass: a.pass, validFrom: a.valid_from, validUntil: a.valid_until };
      await savePass(pass);
      setDevice({ pass, key });
      setMode('device');
      setQrError(null);
    } catch (err) {
      const code = err instanceof ApiError ? err.code : null;
      if (code === 'DEVICE_ALREADY_BOUND' || code === 'NOT_SEAT_OWNER' || code === 'SEAT_UNAVAILABLE') await forgetPass(seatId);
      if (code === 'DEVICE_ALREADY_BOUND') {
        setDevice(null);
        setMode('elsewhere');
      } else if (code === 'NOT_SEAT_OWNER' || code === 'SEAT_UNAVAILABLE') ended(err as ApiError);
      else if (stored) {
        setDevice({ pass: stored, key });
        setMode('device');
      } else setQrError(errorText(err));
    }
  };

  useEffect(() => {
    if (showCode && user) void setUpDevice(user.user_id, false);
  }, [showCode, seatId, user?.user_id]);
  useEffect(() => {
    if (mode === 'server') void fetchCode();
  }, [mode]);
  useEffect(() => {
    if (mode === 'server' && qr && now >= qr.refreshAt) {
      setQr({ ...qr, refreshAt: now + 5000 }); // retry in 5 s if this fetch fails
      void fetchCode();
    }
  }, [now]);
  // A new code at every step, signed here: no network needed.
  const step = stepAt(now);
  useEffect(() => {
    if (mode !== 'device' || !device) return;
    let live = true;
    codeAt(device.pass, device.key, Date.now()).then(
      (c) => live && setDeviceCode(c),
      (err: unknown) => live && setQrError(errorText(err)),
    );
    return () => {
      live = false;
    };
  }, [mode, device, step]);

  const moveHere = async () => {
    if (!user) return;
    setMoving(true);
    await setUpDevice(user.user_id, true);
    setMoving(false);
  };

  if (list.error)
    return (
      <Screen title="Ticket">
        <ErrorNote text={list.error} />
      </Screen>
    );
  if (!list.data)
    return (
      <Screen title="Ticket">
        <Loading what="your ticket" />
      </Screen>
    );
  if (!entry) {
    return (
      <Screen title="Ticket">
        <p class="error" role="alert">
          {gone ?? 'This ticket is not in your account (any more). If you transferred it, it now belongs to the buyer.'}
        </p>
        <Link href="/tickets">My tickets</Link>
      </Screen>
    );
  }
  const t = entry.ticket;
  return (
    <Screen title={t.event.name}>
      {t.status === 'CHECKED_IN' ? (
        <div class="card used" role="status">
          <h2>Used</h2>
          <p>This ticket was scanned at the door and cannot be used to enter again.</p>
        </div>
      ) : (
        <div class="qr-panel">
          {mode === 'elsewhere' ? (
            <div class="card" role="status">
              <h2>On another phone</h2>
              <p>
                This ticket is bound to another phone, which makes its entry codes. If you changed phones, move it here: the other phone's
                codes stop working.
              </p>
              <button type="button" disabled={moving} onClick={() => void moveHere()}>
                Move the ticket to this phone
              </button>
            </div>
          ) : mode === 'device' && deviceCode && device ? (
            <>
              <QrCode
                text={deviceCode.text}
                size={Math.min(320, innerWidth - 48)}
                label={`Entry code for row ${t.row_number}, seat ${t.seat_number}`}
              />
              <Countdown secondsLeft={(deviceCode.nextAt - now) / 1000} total={STEP_SECONDS} label="New code in" urgentBelow={0} />
              <p class="muted">
                Show this code at the door. This phone makes a new one every {STEP_SECONDS} seconds, also without a network, so a screenshot
                will not work. {awake ? 'The screen stays on while it is shown.' : 'Turn the brightness up.'}
              </p>
              {Date.parse(device.pass.validUntil) < now ? <p class="error">The entry window of this event is over.</p> : null}
            </>
          ) : mode === 'server' && qr ? (
            <>
              <QrCode
                text={qr.code.qr_payload}
                size={Math.min(320, innerWidth - 48)}
                label={`Entry code for row ${t.row_number}, seat ${t.seat_number}`}
              />
              <Countdown
                secondsLeft={(qr.refreshAt - now) / 1000}
                total={qr.code.ttl_seconds - REFRESH_BEFORE_S}
                label="New code in"
                urgentBelow={0}
              />
              <p class="muted">
                Show this code at the door. It changes every minute, so a screenshot will not work.{' '}
                {awake ? 'The screen stays on while it is shown.' : 'Turn the brightness up.'}
              </p>
            </>
          ) : qrError ? null : (
            <Loading what="your entry code" />
          )}
          <ErrorNote text={qrError} />
        </div>
      )}
      <div class="card">
        <TicketFactsView t={facts(t, entry.venue)} now={now} />
      </div>
      {t.status === 'SOLD' ? (
        <Link class="button" href={`/tickets/${t.seat_id}/transfer`}>
          Transfer this ticket
        </Link>
      ) : null}
    </Screen>
  );
}
