import type { OpsTransfer, Page, TransferStatus } from '@ticketgate/ui/api';
import { money } from '@ticketgate/ui/time';
import { useState } from 'preact/hooks';
import { useLoad } from '../../../hooks.js';
import { ErrorNote, Loading, Note, Screen } from '../../../ui.js';
import { api, consoleRole, useUser } from '../../api.js';
import { ConfirmAction } from '../../parts/confirm-action.js';
import { DataTable } from '../../parts/data-table.js';
import { Pager } from '../../parts/pager.js';
import { ShortId } from '../../parts/short-id.js';
import { StatePill, type PillTone } from '../../parts/state-pill.js';
import { utcMinute } from '../../record-text.js';

const STATUS_TONE: Record<TransferStatus, PillTone> = {
  DISPUTED: 'bad',
  REVERSED: 'warn',
  COMPLETED: 'ok',
  PENDING_OTP: 'off',
  CANCELLED: 'off',
  FAILED: 'off',
};
const STATUS_WORDS: Record<TransferStatus, string> = {
  DISPUTED: 'Disputed',
  REVERSED: 'Reversed',
  COMPLETED: 'Completed',
  PENDING_OTP: 'Waiting for codes',
  CANCELLED: 'Cancelled',
  FAILED: 'Failed',
};
const seatOf = (t: OpsTransfer) => `${t.event_name}, row ${t.row_number} seat ${t.seat_number}`;

export function TransferStatusPill({ status }: { status: TransferStatus }) {
  return <StatePill tone={STATUS_TONE[status]} text={STATUS_WORDS[status]} />;
}

/** One open dispute: what happened, and for an admin the two ways to decide it. */
function DisputeCard({ t, canDecide, onDecided }: { t: OpsTransfer; canDecide: boolean; onDecided: (msg: string) => void }) {
  return (
    <article class="card dispute" aria-labelledby={`dispute-${t.transfer_id}`}>
      <h3 id={`dispute-${t.transfer_id}`}>
        <TransferStatusPill status={t.status} /> {seatOf(t)}
      </h3>
      <dl class="facts">
        <dt>Price</dt>
        <dd>{money(t.credits_amount)}</dd>
        <dt>Seller</dt>
        <dd>
          <ShortId id={t.seller_user_id} />
        </dd>
        <dt>Buyer</dt>
        <dd>
          <ShortId id={t.buyer_user_id} />
        </dd>
        <dt>Completed</dt>
        <dd>{utcMinute(t.completed_at)}</dd>
        <dt>Disputed</dt>
        <dd>
          {utcMinute(t.dispute?.disputed_at ?? null)} by {t.dispute?.disputed_by === t.buyer_user_id ? 'the buyer' : 'the seller'}
        </dd>
        <dt>Reason given</dt>
        <dd>{t.dispute?.reason || <span class="muted">none</span>}</dd>
        <dt>Credits frozen</dt>
        <dd>{money(t.dispute?.frozen_credits ?? 0)}</dd>
      </dl>
      {canDecide ? (
        <div class="row-actions">
          <ConfirmAction
            label="Reverse transfer"
            danger
            consequence="The ticket goes back to the seller with a new code, and the price goes back to the buyer."
            reasonLabel="Reason (kept in the audit log)"
            confirmLabel="Reverse now"
            onConfirm={async (note) => {
              await api.post('/api/transfer/reverse', { transfer_id: t.transfer_id, note });
              onDecided(`Transfer of ${seatOf(t)} reversed.`);
            }}
          />
          <ConfirmAction
            label="Uphold transfer"
            consequence="The transfer stands: the buyer keeps the ticket and the seller's frozen credits are released."
            reasonLabel="Reason (kept in the audit log)"
            confirmLabel="Uphold now"
            onConfirm={async (note) => {
              await api.post('/api/transfer/resolve', { transfer_id: t.transfer_id, resolution: 'UPHELD', note });
              onDecided(`Transfer of ${seatOf(t)} upheld.`);
            }}
          />
        </div>
      ) : (
        <p class="muted">Only an admin can reverse or uphold a dispute.</p>
      )}
    </article>
  );
}

/** Transfers of the operator's venues, open disputes first; admins decide them. */
export function DisputesView() {
  const user = useUser();
  const isAdmin = consoleRole(user) === 'admin';
  const [status, setStatus] = useState<TransferStatus | ''>('');
  const [page, setPage] = useState(1);
  const [note, setNote] = useState<string | null>(null);
  const disputes = useLoad(() => api.page<OpsTransfer>('/api/ops/transfers?status=DISPUTED&per_page=50'), []);
  const all = useLoad(
    () => api.page<OpsTransfer>(`/api/ops/transfers?per_page=20&page=${page}${status ? `&status=${status}` : ''}`),
    [page, status],
  );
  const decided = (msg: string) => {
    setNote(msg);
    disputes.reload();
    all.reload();
  };
  return (
    <Screen title="Disputes and transfers">
      <Note text={note} />
      <section aria-labelledby="open-disputes">
        <h2 id="open-disputes">Open disputes{disputes.data ? ` (${disputes.data.pagination.total})` : ''}</h2>
        <ErrorNote text={disputes.error} />
        {!disputes.data ? (
          disputes.error ? null : (
            <Loading what="disputes" />
          )
        ) : disputes.data.data.length === 0 ? (
          <p class="muted">No open disputes.</p>
        ) : (
          <div class="grid-2">
            {disputes.data.data.map((t) => (
              <DisputeCard key={t.transfer_id} t={t} canDecide={isAdmin} onDecided={decided} />
            ))}
          </div>
        )}
      </section>
      <section aria-labelledby="all-transfers">
        <h2 id="all-transfers">All transfers</h2>
        <div class="toolbar">
          <label>
            Status
            <select
              value={status}
              onChange={(e) => {
                setStatus(e.currentTarget.value as TransferStatus | '');
                setPage(1);
              }}
            >
              <option value="">Any</option>
              {(Object.keys(STATUS_WORDS) as TransferStatus[]).map((s) => (
                <option key={s} value={s}>
                  {STATUS_WORDS[s]}
                </option>
              ))}
            </select>
          </label>
        </div>
        <ErrorNote text={all.error} />
        <TransfersTable page={all.data} />
        <Pager pagination={all.data?.pagination} onPage={setPage} />
      </section>
    </Screen>
  );
}

function TransfersTable({ page }: { page: Page<OpsTransfer> | undefined }) {
  return (
    <DataTable
      caption={page ? `Transfers (${page.pagination.total})` : 'Transfers'}
      label="transfers"
      columns={[
        { title: 'Status', cell: (t) => <TransferStatusPill status={t.status} /> },
        { title: 'Ticket', cell: seatOf },
        { title: 'Price', num: true, cell: (t) => money(t.credits_amount) },
        { title: 'Seller', cell: (t) => <ShortId id={t.seller_user_id} /> },
        { title: 'Buyer', cell: (t) => <ShortId id={t.buyer_user_id} /> },
        { title: 'Started', cell: (t) => utcMinute(t.created_at) },
        {
          title: 'Decision',
          cell: (t) => (t.resolution ? `${t.resolution === 'REVERSED' ? 'Reversed' : 'Upheld'} ${utcMinute(t.resolved_at)}` : ''),
        },
      ]}
      rows={page?.data ?? []}
      rowKey={(t) => t.transfer_id}
      empty={page ? 'No transfers.' : 'Loading…'}
    />
  );
}
