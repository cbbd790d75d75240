import { ApiError, type FoundUser, type Ticket, type Transfer } from '@ticketgate/ui/api';
import { errorText } from '@ticketgate/ui/errors';
import { dateInWords, money } from '@ticketgate/ui/time';
import { useState } from 'preact/hooks';
import { useLoad, useVisiblePoll } from '../hooks.js';
import { Link, navigate } from '../router.js';
import { api, useUser } from '../session.js';
import { ErrorNote, Loading, Note, Screen, formValues } from '../ui.js';

/** A transfer's state in words, from the point of view of `me`. */
function statusWords(t: Transfer, me: string): string {
  const selling = t.seller_user_id === me;
  switch (t.status) {
    case 'PENDING_OTP':
      return `Waiting for codes: ${t.seller_verified ? 'seller ✓' : 'seller pending'}, ${t.buyer_verified ? 'buyer ✓' : 'buyer pending'}. Expires ${dateInWords(t.expires_at)}.`;
    case 'COMPLETED':
      return t.resolution === 'UPHELD'
        ? 'Dispute closed: support upheld the transfer; the frozen credits were released.'
        : selling
          ? 'Completed: the ticket now belongs to the buyer and your old codes no longer work.'
          : 'Completed: the ticket is yours. Find it in My tickets.';
    case 'DISPUTED':
      return `Disputed: support is looking at it. ${money(t.dispute?.frozen_credits ?? 0)} of the seller's credits are frozen meanwhile.`;
    case 'REVERSED':
      return `Reversed by support: the ticket went back to the seller${t.credits_returned !== null ? ` and ${money(t.credits_returned)} went back to the buyer` : ''}.`;
    case 'FAILED':
    case 'CANCELLED': {
      const why = t.closed_reason ? CLOSED_BECAUSE[t.closed_reason] : undefined;
      return `${t.status === 'FAILED' ? 'Failed' : 'Cancelled'}${why ? `: ${why}` : ''}. The ticket stayed with the seller.`;
    }
  }
}

/** Why a transfer ended without completing, in words (closed_reason of GET /api/transfers/{id}). */
const CLOSED_BECAUSE: Record<string, string> = {
  OTP_MAX_RETRIES: 'too many wrong codes',
  TOO_MANY_ATTEMPTS: 'too many wrong codes',
  OTP_EXPIRED: 'a code expired',
  EXPIRED: 'nobody confirmed it in time',
  SEAT_CHANGED: 'the ticket changed meanwhile',
  SELLER_CANCELLED: 'the seller withdrew it',
  SMS_FAILED: 'the codes could not be texted; try again',
};

export function StartTransfer({ seatId }: { seatId: string }) {
  const user = useUser();
  const ticket = useLoad(async () => (await api.get<Ticket[]>('/api/tickets')).find((t) => t.seat_id === seatId) ?? null, [seatId]);
  const [buyer, setBuyer] = useState<FoundUser | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const find = async (e: Event) => {
    const f = formValues(e);
    setBusy(true);
    setError(null);
    setBuyer(null);
    try {
      const found = await api.post<FoundUser>('/api/users/lookup', { email: f.email!.trim() });
      if (found.user_id === user?.user_id) setError(errorText(new ApiError('SELF_TRANSFER', '', 400)));
      else setBuyer(found);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  const start = async (e: Event) => {
    const f = formValues(e);
    setBusy(true);
    setError(null);
    try {
      const t = await api.post<{ transfer_id: string }>('/api/transfer/initiate', {
        seat_id: seatId,
        seller_user_id: user!.user_id,
        buyer_user_id: buyer!.user_id,
        credits_amount: Number(f.price || 0),
      });
      navigate(`/transfers/${t.transfer_id}`);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  const t = ticket.data;
  return (
    <Screen title="Transfer a ticket">
      <ErrorNote text={ticket.error} />
      {t === null ? <p class="error">This ticket is not in your account.</p> : null}
      {t ? (
        <p>
          {t.event.name} · row {t.row_number}, seat {t.seat_number}
        </p>
      ) : null}
      <form class="card form" onSubmit={(e) => void find(e)}>
        <label>
          The buyer's email address
          <input name="email" type="email" required autocomplete="off" />
        </label>
        <button type="submit" disabled={busy}>
          Find buyer
        </button>
      </form>
      {buyer ? (
        <form class="card form" onSubmit={(e) => void start(e)}>
          <p role="status">
            Found <strong>{buyer.name}</strong>.
          </p>
          <label>
            Price in credits <span class="muted">(0 for a gift)</span>
            <input name="price" type="number" min="0" step="0.01" defaultValue="0" required />
          </label>
          <p class="muted">
            You and the buyer will each get a 6-digit code by SMS and enter it in the app. Your codes for this ticket stop working once the
            transfer completes.
          </p>
          <button type="submit" class="primary" disabled={busy}>
            Start transfer
          </button>
        </form>
      ) : null}
      <ErrorNote text={error} />
    </Screen>
  );
}

export function Transfers() {
  const user = useUser();
  const { data, error } = useLoad(() => api.page<Transfer>('/api/transfers?per_page=50'), []);
  const me = user?.user_id ?? '';
  const incoming = data?.data.filter((t) => t.buyer_user_id === me) ?? [];
  const outgoing = data?.data.filter((t) => t.seller_user_id === me) ?? [];
  const item = (t: Transfer) => (
    <li key={t.transfer_id} class="card">
      <Link href={`/transfers/${t.transfer_id}`}>
        <h3>
          {t.event_name}: row {t.row_number}, seat {t.seat_number}
        </h3>
      </Link>
      <p>{statusWords(t, me)}</p>
      {t.credits_amount > 0 ? <p class="muted">Price {money(t.credits_amount)}</p> : <p class="muted">Gift</p>}
    </li>
  );
  return (
    <Screen title="Transfers">
      <ErrorNote text={error} />
      {!data && !error ? <Loading what="your transfers" /> : null}
      {data ? (
        <>
          <h2 class="section">Incoming</h2>
          {incoming.length ? <ul class="list">{incoming.map(item)}</ul> : <p class="muted">Nobody is sending you a ticket.</p>}
          <h2 class="section">Outgoing</h2>
          {outgoing.length ? <ul class="list">{outgoing.map(item)}</ul> : <p class="muted">To send a ticket, open it in My tickets.</p>}
        </>
      ) : null}
    </Screen>
  );
}

export function TransferPage({ id }: { id: string }) {
  const user = useUser();
  const [t, setT] = useState<Transfer | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const load = async () => setT(await api.get<Transfer>(`/api/transfers/${id}`));
  useVisiblePoll(
    async () => {
      try {
        await load();
      } catch (err) {
        setError(errorText(err));
      }
    },
    3000,
    [id],
  );
  if (!t) return <Screen title="Transfer">{error ? <ErrorNote text={error} /> : <Loading what="the transfer" />}</Screen>;
  const me = user?.user_id ?? '';
  const selling = t.seller_user_id === me;
  const myVerified = selling ? t.seller_verified : t.buyer_verified;

  const act = async (fn: () => Promise<unknown>, done: string) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
      setNote(done);
      await load();
    } catch (err) {
      setError(errorText(err));
      await load().catch(() => {});
    } finally {
      setBusy(false);
    }
  };
  const verify = (e: Event) => {
    const code = formValues(e).code!.trim();
    void act(async () => {
      await api.post('/api/verify-otp', { otp_code: code, context: 'transfer', reference_id: t.transfer_id });
      const fresh = await api.get<Transfer>(`/api/transfers/${id}`);
      // The second code in completes the transfer at once.
      if (fresh.seller_verified && fresh.buyer_verified) await api.post('/api/transfer/confirm', { transfer_id: t.transfer_id });
    }, 'Code accepted.');
  };
  const confirm = () => void act(() => api.post('/api/transfer/confirm', { transfer_id: t.transfer_id }), 'Transfer complete.');
  const dispute = (e: Event) => {
    const reason = formValues(e).reason!.trim();
    void act(() => api.post('/api/transfer/dispute', { transfer_id: t.transfer_id, reason }), 'Dispute sent to support.');
  };

  return (
    <Screen title={selling ? 'Sending a ticket' : 'Receiving a ticket'}>
      <div class="card">
        <h2>
          {t.event_name}: row {t.row_number}, seat {t.seat_number}
        </h2>
        <p class={`transfer-status status-${t.status.toLowerCase()}`} role="status">
          {statusWords(t, me)}
        </p>
        <p class="muted">
          {t.credits_amount > 0
            ? `Price ${money(t.credits_amount)}, paid from the buyer's credits to the seller.`
            : 'A gift: no credits change hands.'}
        </p>
        {t.dispute ? (
          <p>
            Dispute: “{t.dispute.reason}” ({dateInWords(t.dispute.disputed_at)})
          </p>
        ) : null}
      </div>
      {t.status === 'PENDING_OTP' && !myVerified ? (
        <form class="card form" onSubmit={verify}>
          <label>
            {selling ? 'Your code from the SMS' : 'Your code from the SMS, to accept the ticket'}
            <input name="code" inputMode="numeric" autocomplete="one-time-code" pattern="\d{6}" maxLength={6} required />
          </label>
          <button type="submit" class="primary" disabled={busy}>
            {selling ? 'Confirm with my code' : 'Accept the ticket'}
          </button>
        </form>
      ) : null}
      {t.status === 'PENDING_OTP' && t.seller_verified && t.buyer_verified ? (
        <button type="button" class="primary" disabled={busy} onClick={confirm}>
          Complete transfer
        </button>
      ) : null}
      {t.status === 'PENDING_OTP' && myVerified && !(t.seller_verified && t.buyer_verified) ? (
        <Note text={`Your code is confirmed. Waiting for the ${selling ? 'buyer' : 'seller'} to enter theirs.`} />
      ) : null}
      {t.status === 'COMPLETED' && !t.dispute ? (
        <details class="card">
          <summary>Something wrong? Dispute this transfer</summary>
          <form class="form" onSubmit={dispute}>
            <label>
              What happened
              <textarea name="reason" required maxLength={1000} />
            </label>
            <button type="submit" disabled={busy}>
              Send dispute to support
            </button>
          </form>
        </details>
      ) : null}
      {t.status === 'COMPLETED' && !selling ? <Link href={`/tickets/${t.seat_id}`}>Show the ticket</Link> : null}
      <Note text={note} />
      <ErrorNote text={error} />
    </Screen>
  );
}
