import type { Balance, LedgerEntry, PaymentClientConfig, TopUp } from '@ticketgate/ui/api';
import { errorText } from '@ticketgate/ui/errors';
import { money } from '@ticketgate/ui/time';
import { useState } from 'preact/hooks';
import { useLoad } from '../hooks.js';
import { navigate } from '../router.js';
import { api } from '../session.js';
import { ErrorNote, Loading, Screen, formValues } from '../ui.js';
import { rememberTopUp } from './pay.js';

const KIND_WORDS: Record<string, string> = {
  OPENING: 'Opening balance',
  TOPUP: 'Top-up by card',
  PURCHASE: 'Ticket bought',
  TRANSFER_IN: 'Ticket sold to another fan',
  TRANSFER_OUT: 'Ticket bought from another fan',
  REVERSAL_IN: 'Transfer reversed (returned to you)',
  REVERSAL_OUT: 'Transfer reversed (taken back)',
  ADJUSTMENT: 'Adjustment by support',
};

export function Credits() {
  const balance = useLoad(() => api.get<Balance>('/api/credits/balance'), []);
  const history = useLoad(() => api.page<LedgerEntry>('/api/credits/history?per_page=50'), []);
  const client = useLoad(() => api.call<PaymentClientConfig>('GET', '/api/credits/payment-client'), []);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const topUp = async (e: Event) => {
    const amount = Number(formValues(e).amount);
    setBusy(true);
    setError(null);
    try {
      const t = await api.post<TopUp>('/api/credits/topup', { amount });
      rememberTopUp({ ...t, startBalance: balance.data?.total_credits ?? 0 });
      navigate('/credits/pay');
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Screen title="Credits">
      {balance.data ? (
        <div class="card balance">
          <p class="big">{money(balance.data.spendable_credits)}</p>
          <p class="muted">
            to spend{balance.data.frozen_credits > 0 ? ` · ${money(balance.data.frozen_credits)} frozen by a transfer dispute` : ''}
          </p>
        </div>
      ) : (
        <Loading what="your balance" />
      )}
      <ErrorNote text={balance.error} />
      <form class="card form" onSubmit={(e) => void topUp(e)}>
        <h2>Top up</h2>
        <label>
          Amount in S$
          <input name="amount" type="number" min="1" max="10000" step="0.01" defaultValue="100" required />
        </label>
        {client.data?.provider === 'none' ? <p class="error">Card payments are not set up on this server.</p> : null}
        <button type="submit" class="primary" disabled={busy || client.data?.provider === 'none'}>
          Continue to payment
        </button>
        <ErrorNote text={error} />
      </form>
      <h2 class="section">History</h2>
      <ErrorNote text={history.error} />
      {history.data ? (
        history.data.data.length ? (
          <table class="card history">
            <caption class="sr-only">Credit movements, newest first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">What</th>
                <th scope="col" class="num">
                  Amount
                </th>
              </tr>
            </thead>
            <tbody>
              {history.data.data.map((h) => (
                <tr key={h.id}>
                  <td>{new Date(h.created_at).toLocaleString()}</td>
                  <td>{KIND_WORDS[h.kind] ?? h.kind}</td>
                  <td class={`num ${h.amount < 0 ? 'minus' : 'plus'}`}>
                    {h.amount > 0 ? '+' : '−'}
                    {money(Math.abs(h.amount))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p class="muted">No movements yet.</p>
        )
      ) : null}
    </Screen>
  );
}
