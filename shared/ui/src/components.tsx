import type { ComponentChildren } from 'preact';
import type { ScanResult } from './api-types.js';
import { clock, dateInWords, relativeInWords } from './time-words.js';

/** The headline a verdict gets on every screen (fan app, console, kiosk). */
export const VERDICT_WORDS: Record<ScanResult, string> = {
  SUCCESS: 'ADMIT',
  DUPLICATE: 'ALREADY USED',
  WRONG_HALL: 'WRONG HALL',
  EXPIRED: 'EXPIRED',
  NOT_FOUND: 'NOT VALID',
  QR_INVALID: 'NOT VALID',
  UNPAID: 'UNPAID',
  NOT_YET_OPEN: 'NOT OPEN',
  ENTRY_CLOSED: 'ENTRY CLOSED',
  WRONG_ZONE: 'WRONG ZONE',
  ENTRY_LIMIT: 'LIMIT REACHED',
  EXITED: 'EXITED',
  NOT_INSIDE: 'NOT INSIDE',
};

export function VerdictBadge({ result, children }: { result: ScanResult; children?: ComponentChildren }) {
  return (
    <div class={`verdict verdict-${result.toLowerCase()}`} role="status">
      <strong>{VERDICT_WORDS[result]}</strong>
      {children ? <span>{children}</span> : null}
    </div>
  );
}

export interface TicketFacts {
  eventName: string;
  eventDate: string;
  hallId: string;
  venueName?: string | undefined;
  row: string;
  seat: number;
  category: string;
}

/** Seat, hall, venue and time in words: what a steward and a fan read off a ticket. */
export function TicketFactsView({ t, now = Date.now() }: { t: TicketFacts; now?: number }) {
  return (
    <dl class="ticket-facts">
      <div>
        <dt>Seat</dt>
        <dd>
          Row {t.row}, seat {t.seat} <span class="muted">({t.category})</span>
        </dd>
      </div>
      <div>
        <dt>Hall</dt>
        <dd>{t.hallId}</dd>
      </div>
      {t.venueName ? (
        <div>
          <dt>Venue</dt>
          <dd>{t.venueName}</dd>
        </div>
      ) : null}
      <div>
        <dt>Starts</dt>
        <dd>
          {dateInWords(t.eventDate)} <span class="muted">({relativeInWords(t.eventDate, now)})</span>
        </dd>
      </div>
    </dl>
  );
}

/** A countdown as text plus a bar; `urgentBelow` seconds turn it red. */
export function Countdown({
  secondsLeft,
  total,
  label,
  urgentBelow = 60,
}: {
  secondsLeft: number;
  total: number;
  label: string;
  urgentBelow?: number;
}) {
  const pct = total > 0 ? Math.max(0, Math.min(100, (secondsLeft / total) * 100)) : 0;
  return (
    <div class={`countdown${secondsLeft <= urgentBelow ? ' urgent' : ''}`}>
      <span class="countdown-text">
        {label} <time>{clock(secondsLeft)}</time>
      </span>
      <span class="countdown-bar" aria-hidden="true">
        <span style={{ width: `${pct}%` }} />
      </span>
    </div>
  );
}
