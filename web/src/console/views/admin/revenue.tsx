import type { GeneratedReport, RevenueResult, RevenueShareConfig } from '@ticketgate/ui/api';
import { errorText } from '@ticketgate/ui/errors';
import { money } from '@ticketgate/ui/time';
import { useState } from 'preact/hooks';
import { useLoad } from '../../../hooks.js';
import { ErrorNote, Note, Screen, formValues } from '../../../ui.js';
import { api } from '../../api.js';
import { downloadDocument } from '../../download.js';
import { DataTable } from '../../parts/data-table.js';
import { EventSelect } from '../../parts/scope-select.js';

const STAKEHOLDER_WORDS = { organizer: 'Organiser', platform: 'Platform', charity: 'Charity' } as const;
const todayUtc = () => new Date().toISOString().slice(0, 10);

function RevenueShare() {
  const config = useLoad(() => api.raw<RevenueShareConfig>('GET', '/api/revenue-share/config'), []);
  const [result, setResult] = useState<RevenueResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const calculate = async (e: Event) => {
    const v = formValues(e);
    setError(null);
    try {
      setResult(
        await api.raw<RevenueResult>('POST', '/api/calculate-revenue-share', {
          event_id: v.event_id,
          total_sales: Number(v.total_sales),
          ticket_count: Number(v.ticket_count),
          currency: 'SGD',
        }),
      );
    } catch (err) {
      setError(errorText(err));
    }
  };
  const c = config.data;
  return (
    <section aria-labelledby="revenue-share">
      <h2 id="revenue-share">Revenue share</h2>
      <ErrorNote text={config.error} />
      {c ? (
        <p>
          The split in force: organiser {c.organizer_percentage} %, platform {c.platform_percentage} %, charity {c.charity_percentage} %.
        </p>
      ) : null}
      <form class="toolbar" onSubmit={(e) => void calculate(e)} aria-label="Calculate a revenue split">
        <EventSelect name="event_id" required />
        <label>
          Total sales (S$)
          <input name="total_sales" type="number" min="0.01" step="0.01" required inputMode="decimal" />
        </label>
        <label>
          Tickets sold
          <input name="ticket_count" type="number" min="0" step="1" required />
        </label>
        <button type="submit" class="primary">
          Calculate split
        </button>
      </form>
      <ErrorNote text={error} />
      {result ? (
        <DataTable
          caption={`Split of ${money(result.total_paid_out)}`}
          label="revenue-split"
          columns={[
            { title: 'Stakeholder', cell: (d) => STAKEHOLDER_WORDS[d.stakeholder] },
            { title: 'Share', num: true, cell: (d) => `${d.percentage} %` },
            { title: 'Amount', num: true, cell: (d) => money(d.amount) },
          ]}
          rows={result.distributions}
          rowKey={(d) => d.stakeholder}
          empty="Nothing to split."
        />
      ) : null}
    </section>
  );
}

function DailyReports() {
  const [reports, setReports] = useState<GeneratedReport[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const generate = async (e: Event) => {
    const v = formValues(e);
    setBusy(true);
    setError(null);
    try {
      const r = await api.raw<GeneratedReport>('POST', '/api/generate-daily-report', {
        target_date: v.target_date,
        output_format: v.output_format,
      });
      setReports((list) => [r, ...list]);
      setNote(`Report for ${r.report_date} ready.`);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  const download = async (r: GeneratedReport) => {
    try {
      const name = await downloadDocument(r.report_path, `daily_report_${r.report_date}.${r.output_format}`);
      setNote(`Downloaded ${name}.`);
    } catch (err) {
      setError(errorText(err));
    }
  };
  return (
    <section aria-labelledby="daily-reports">
      <h2 id="daily-reports">Daily reports</h2>
      <p class="muted">Sales, revenue, transfers and invalid scans of one UTC day in your venues, per event.</p>
      <form class="toolbar" onSubmit={(e) => void generate(e)} aria-label="Generate a daily report">
        <label>
          Day (UTC)
          <input name="target_date" type="date" required defaultValue={todayUtc()} />
        </label>
        <label>
          Format
          <select name="output_format">
            <option value="csv">CSV (spreadsheet)</option>
            <option value="json">JSON</option>
          </select>
        </label>
        <button type="submit" class="primary" disabled={busy}>
          {busy ? 'Generating…' : 'Generate report'}
        </button>
      </form>
      <Note text={note} />
      <ErrorNote text={error} />
      <DataTable
        caption="Reports generated here"
        label="reports"
        columns={[
          { title: 'Day', cell: (r) => r.report_date },
          { title: 'Format', cell: (r) => r.output_format.toUpperCase() },
          { title: 'Orders', num: true, cell: (r) => r.summary.total_sales },
          { title: 'Revenue', num: true, cell: (r) => money(r.summary.total_revenue) },
          { title: 'Transfers', num: true, cell: (r) => r.summary.total_transfers },
          { title: 'Invalid scans', num: true, cell: (r) => r.summary.invalid_scans },
          {
            title: 'File',
            cell: (r) => (
              <button type="button" onClick={() => void download(r)}>
                Download {r.output_format.toUpperCase()}
                <span class="sr-only"> report for {r.report_date}</span>
              </button>
            ),
          },
        ]}
        rows={reports}
        rowKey={(r) => r.report_id}
        empty="No report generated yet."
      />
    </section>
  );
}

/** The revenue split of an event and the daily reports, to download as CSV or JSON. */
export function RevenueView() {
  return (
    <Screen title="Revenue and reports">
      <RevenueShare />
      <DailyReports />
    </Screen>
  );
}
