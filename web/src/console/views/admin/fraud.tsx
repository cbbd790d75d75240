import type { FlagStatus, FraudFlag, FraudFlagList, ScalperModelVersion } from '@ticketgate/ui/api';
import { useState } from 'preact/hooks';
import { useLoad } from '../../../hooks.js';
import { ErrorNote, Note, Screen } from '../../../ui.js';
import { api } from '../../api.js';
import { ConfirmAction } from '../../parts/confirm-action.js';
import { DataTable } from '../../parts/data-table.js';
import { ShortId } from '../../parts/short-id.js';
import { StatePill } from '../../parts/state-pill.js';
import { detailsInWords, utcMinute } from '../../record-text.js';

/** The live rules in words (the server names them; an unknown name is shown as it is). */
const RULE_WORDS: Record<string, string> = {
  address_purchase_burst: 'Many purchases from one address in 10 minutes',
  account_daily_volume: 'Many purchases by one account in a day',
  repeated_ticket_transfers: 'One ticket transferred again and again',
  impossible_travel_scan: 'One ticket scanned at two venues too close in time',
  bulk_allocation: 'One account holding a large share of an event',
};
const STATUS_WORDS: Record<FlagStatus, string> = { OPEN: 'Open', CONFIRMED: 'Confirmed', DISMISSED: 'Dismissed' };
const pct = (x: number | null) => (x === null ? 'n/a' : `${(x * 100).toFixed(1)} %`);

function FlagActions({ flag, onDone }: { flag: FraudFlag; onDone: (msg: string) => void }) {
  if (flag.status !== 'OPEN') return <span class="muted">{flag.decided_at ? `Decided ${utcMinute(flag.decided_at)}` : ''}</span>;
  const decide = (decision: 'confirm' | 'dismiss') => async () => {
    await api.raw('POST', `/api/fraud/flags/${flag.id}/${decision}`);
    onDone(`Flag ${decision === 'confirm' ? 'confirmed' : 'dismissed'}.`);
  };
  return (
    <div class="row-actions">
      <ConfirmAction
        label="Confirm"
        danger
        consequence={
          flag.user_id
            ? 'The account is marked as flagged: its payments need a one-time code from now on.'
            : 'The flag is recorded as confirmed.'
        }
        confirmLabel="Confirm flag"
        onConfirm={decide('confirm')}
      />
      <ConfirmAction
        label="Dismiss"
        consequence="The flag is closed as a false alarm."
        confirmLabel="Dismiss flag"
        onConfirm={decide('dismiss')}
      />
    </div>
  );
}

/** The scalper model's versions, newest first, with the held-out evaluation of each. */
function ModelStatus() {
  const { data, error } = useLoad(() => api.raw<{ versions: ScalperModelVersion[] }>('GET', '/api/ml/scalper/models'), []);
  const latest = data?.versions[0];
  return (
    <section aria-labelledby="model-status">
      <h2 id="model-status">Scalper model</h2>
      <ErrorNote text={error} />
      {data ? (
        <p>
          {latest ? (
            <>
              <StatePill tone="ok" text={`Version ${latest.version} in use`} /> trained {utcMinute(latest.trained_at)} on {latest.examples}{' '}
              decided accounts.
            </>
          ) : (
            <>
              <StatePill tone="warn" text="No model yet" /> It is trained once there are enough confirmed and dismissed flags.
            </>
          )}
        </p>
      ) : null}
      <DataTable
        caption="Model versions"
        label="model-versions"
        columns={[
          { title: 'Version', num: true, cell: (v) => v.version },
          { title: 'Trained', cell: (v) => utcMinute(v.trained_at) },
          { title: 'Accounts', num: true, cell: (v) => v.examples },
          { title: 'AUC', num: true, cell: (v) => (v.auc === null ? 'n/a' : v.auc.toFixed(3)) },
          { title: 'Precision', num: true, cell: (v) => pct(v.precision) },
          { title: 'Recall', num: true, cell: (v) => pct(v.recall) },
          { title: 'Threshold', num: true, cell: (v) => v.threshold.toFixed(2) },
        ]}
        rows={data?.versions ?? []}
        rowKey={(v) => String(v.version)}
        empty={data ? 'No model trained yet.' : 'Loading…'}
      />
    </section>
  );
}

/** Flags of the live fraud rules for the operator's venues, to confirm or dismiss, and the scalper model's status. */
export function FraudView() {
  const [status, setStatus] = useState<FlagStatus | ''>('OPEN');
  const [note, setNote] = useState<string | null>(null);
  const flags = useLoad(() => api.raw<FraudFlagList>('GET', `/api/fraud/flags?limit=200${status ? `&status=${status}` : ''}`), [status]);
  return (
    <Screen title="Fraud flags">
      <Note text={note} />
      <div class="toolbar">
        <label>
          Show
          <select value={status} onChange={(e) => setStatus(e.currentTarget.value as FlagStatus | '')}>
            <option value="OPEN">Open flags</option>
            <option value="CONFIRMED">Confirmed</option>
            <option value="DISMISSED">Dismissed</option>
            <option value="">All</option>
          </select>
        </label>
      </div>
      <ErrorNote text={flags.error} />
      <DataTable
        caption={flags.data ? `Flags (${flags.data.count})` : 'Flags'}
        label="fraud-flags"
        columns={[
          { title: 'Rule', cell: (f) => RULE_WORDS[f.rule] ?? f.rule },
          { title: 'Details', cell: (f) => detailsInWords(f.details) },
          { title: 'Account', cell: (f) => <ShortId id={f.user_id} /> },
          { title: 'Detected', cell: (f) => utcMinute(f.detected_at) },
          { title: 'Status', cell: (f) => <StatePill tone={f.status === 'OPEN' ? 'warn' : 'off'} text={STATUS_WORDS[f.status]} /> },
          {
            title: 'Decision',
            cell: (f) => (
              <FlagActions
                flag={f}
                onDone={(msg) => {
                  setNote(msg);
                  flags.reload();
                }}
              />
            ),
          },
        ]}
        rows={flags.data?.flags ?? []}
        rowKey={(f) => f.id}
        empty={flags.data ? 'No flags.' : 'Loading…'}
      />
      <ModelStatus />
    </Screen>
  );
}
