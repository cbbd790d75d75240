import type { Balance, PaymentClientConfig, TopUp } from '@ticketgate/ui/api';
import { errorText } from '@ticketgate/ui/errors';
import { money } from '@ticketgate/ui/time';
import { useEffect, useRef, useState } from 'preact/hooks';
import { useLoad } from '../hooks.js';
import { Link } from '../router.js';
import { api } from '../session.js';
import { ErrorNote, Loading, Screen } from '../ui.js';

interface PendingTopUp extends TopUp {
  startBalance: number;
}

const KEY = 'ticketgate.topup';
/** The intent being paid lives in sessionStorage (this tab only, gone when it closes), never in the URL. */
export function rememberTopUp(t: PendingTopUp): void {
  sessionStorage.setItem(KEY, JSON.stringify(t));
}
function pendingTopUp(): PendingTopUp | null {
  const raw = sessionStorage.getItem(KEY);
  return raw ? (JSON.parse(raw) as PendingTopUp) : null;
}

type Phase = { step: 'form' } | { step: 'waiting' } | { step: 'done'; balance: number } | { step: 'failed'; message: string };

/**
 * Completes the top-up's PaymentIntent the way the server's payment provider
 * expects: Stripe.js's Payment Element with a real Stripe account, or the
 * local stand-in's confirm call (the same PaymentIntent, confirmed with its
 * client secret) in development. Either way the credits arrive only through
 * the signed webhook, so this page waits for the balance to move.
 */
export function Pay() {
  const topUp = pendingTopUp();
  const client = useLoad(() => api.call<PaymentClientConfig>('GET', '/api/credits/payment-client'), []);
  const [phase, setPhase] = useState<Phase>({ step: 'form' });

  useEffect(() => {
    if (phase.step !== 'waiting' || !topUp) return;
    let live = true;
    const started = Date.now();
    const tick = async () => {
      try {
        const b = await api.get<Balance>('/api/credits/balance');
        if (b.total_credits >= topUp.startBalance + topUp.amount - 0.001) {
          api.updateUser({ credit_balance: b.credit_balance });
          sessionStorage.removeItem(KEY);
          if (live) setPhase({ step: 'done', balance: b.spendable_credits });
          return;
        }
      } catch {
        // keep waiting; the next poll retries
      }
      if (!live) return;
      if (Date.now() - started > 60_000)
        setPhase({
          step: 'failed',
          message: 'The payment went through but the credits have not arrived yet. They will appear in your balance shortly.',
        });
      else setTimeout(() => void tick(), 700);
    };
    void tick();
    return () => {
      live = false;
    };
  }, [phase.step]);

  if (!topUp && phase.step !== 'done') {
    return (
      <Screen title="Payment">
        <p>
          No top-up in progress. <Link href="/credits">Back to credits</Link>
        </p>
      </Screen>
    );
  }
  return (
    <Screen title="Payment">
      {topUp ? (
        <p class="big">
          {money(topUp.amount)} <span class="muted">of credits</span>
        </p>
      ) : null}
      {phase.step === 'form' && topUp ? (
        client.data ? (
          client.data.provider === 'standin' ? (
            <StandinForm topUp={topUp} apiUrl={client.data.api_url!} onPaid={() => setPhase({ step: 'waiting' })} />
          ) : client.data.provider === 'stripe' ? (
            <StripeElementForm topUp={topUp} publishableKey={client.data.publishable_key!} onPaid={() => setPhase({ step: 'waiting' })} />
          ) : (
            <p class="error">Card payments are not set up on this server.</p>
          )
        ) : (
          <Loading what="the payment form" />
        )
      ) : null}
      <ErrorNote text={client.error} />
      {phase.step === 'waiting' ? (
        <p role="status" class="note">
          Payment accepted. Waiting for the credits to arrive…
        </p>
      ) : null}
      {phase.step === 'done' ? (
        <div class="card panel success" role="status">
          <h2>Credits added</h2>
          <p>Your balance is now {money(phase.balance)}.</p>
          <Link class="button primary" href="/">
            Find an event
          </Link>{' '}
          <Link href="/credits">Credits and history</Link>
        </div>
      ) : null}
      {phase.step === 'failed' ? <ErrorNote text={phase.message} /> : null}
    </Screen>
  );
}

/** Test cards of the local stand-in: one that pays, one that is declined. */
const STANDIN_CARDS = [
  { id: 'pm_card_visa', label: 'Test card that pays (Visa ending 4242)' },
  { id: 'pm_card_chargeDeclined', label: 'Test card that is declined' },
];

function StandinForm({ topUp, apiUrl, onPaid }: { topUp: PendingTopUp; apiUrl: string; onPaid: () => void }) {
  const [card, setCard] = useState(STANDIN_CARDS[0]!.id);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const confirm = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      // The call Stripe.js makes: confirm the intent with its client secret (form-encoded, as Stripe's API takes it).
      const res = await fetch(`${apiUrl}/v1/payment_intents/${encodeURIComponent(topUp.payment_intent_id)}/confirm`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ client_secret: topUp.client_secret, payment_method: card }),
      });
      const body = (await res.json()) as { status?: string; error?: { message: string } };
      if (!res.ok || body.status !== 'succeeded') throw new Error(body.error?.message ?? 'The payment did not go through.');
      onPaid();
    } catch (err) {
      setError(err instanceof TypeError ? 'The payment service could not be reached. Try again.' : (err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="card form standin" onSubmit={(e) => void confirm(e)}>
      <p class="badge">Test payment · local Stripe stand-in · no real card is charged</p>
      <fieldset>
        <legend>Card</legend>
        {STANDIN_CARDS.map((c) => (
          <label key={c.id} class="radio">
            <input type="radio" name="card" value={c.id} checked={card === c.id} onChange={() => setCard(c.id)} /> {c.label}
          </label>
        ))}
      </fieldset>
      <button type="submit" class="primary" disabled={busy}>
        {busy ? 'Paying…' : `Pay ${money(topUp.amount)}`}
      </button>
      <ErrorNote text={error} />
    </form>
  );
}

interface StripeJs {
  elements(opts: { clientSecret: string }): { create(kind: 'payment'): { mount(el: HTMLElement): void } };
  confirmPayment(opts: { elements: unknown; redirect: 'if_required' }): Promise<{ error?: { message?: string } }>;
}
declare global {
  interface Window {
    Stripe?: (key: string) => StripeJs;
  }
}

/** Stripe.js is loaded only here, only when the server uses a real Stripe account. */
function loadStripeJs(): Promise<void> {
  if (window.Stripe) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const s = document.createElement('script');
    s.src = 'https://js.stripe.com/v3/';
    s.onload = () => resolve();
    s.onerror = () => reject(new Error('Stripe.js could not be loaded.'));
    document.head.append(s);
  });
}

function StripeElementForm({ topUp, publishableKey, onPaid }: { topUp: PendingTopUp; publishableKey: string; onPaid: () => void }) {
  const mount = useRef<HTMLDivElement>(null);
  const stripe = useRef<{ js: StripeJs; elements: unknown } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(true);
  useEffect(() => {
    loadStripeJs().then(
      () => {
        const js = window.Stripe!(publishableKey);
        const elements = js.elements({ clientSecret: topUp.client_secret });
        elements.create('payment').mount(mount.current!);
        stripe.current = { js, elements };
        setBusy(false);
      },
      (err: Error) => setError(err.message),
    );
  }, []);
  const confirm = async (e: Event) => {
    e.preventDefault();
    if (!stripe.current) return;
    setBusy(true);
    const r = await stripe.current.js
      .confirmPayment({ elements: stripe.current.elements, redirect: 'if_required' })
      .catch((err: unknown) => ({ error: { message: errorText(err) } }));
    setBusy(false);
    if (r.error) setError(r.error.message ?? 'The payment did not go through.');
    else onPaid();
  };
  return (
    <form class="card form" onSubmit={(e) => void confirm(e)}>
      <div ref={mount} />
      <button type="submit" class="primary" disabled={busy}>
        Pay {money(topUp.amount)}
      </button>
      <ErrorNote text={error} />
    </form>
  );
}
