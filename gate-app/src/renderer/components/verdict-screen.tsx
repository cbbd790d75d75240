// process: renderer
import { clockWithZone, presentVerdict, type VerdictPresentation } from '@ticketgate/ui';
import type { Verdict } from '../gate-client.js';
import { VerdictBadge } from './verdict-badge.js';

/** What the centre of the kiosk shows: idle, a verdict, or no answer from the engine. */
export type Shown = { kind: 'ready' } | { kind: 'verdict'; verdict: Verdict } | { kind: 'error'; message: string };

/** A verdict reply as the steward reads it, times in the gate's zone. */
export function presentReply(v: Verdict, timeZone: string): VerdictPresentation {
  return presentVerdict(v.result, {
    firstAdmittedAt: v.first_admitted_at,
    firstAdmittedBy: v.first_admitted_by,
    correctHall: v.correct_hall ? { code: v.correct_hall, hallName: v.correct_hall_name, venueName: v.correct_venue_name } : null,
    correctZone: v.correct_zone,
    reEntry: v.re_entry,
    timeZone,
  });
}

function seatLines(v: Verdict): string[] {
  const lines: string[] = [];
  if (v.row && v.number != null) lines.push(`Row ${v.row} · Seat ${v.number}${v.category ? ` · ${v.category}` : ''}`);
  if (v.holder) lines.push(v.holder);
  if (v.event_name) lines.push(v.event_name);
  return lines;
}

export function VerdictScreen(props: { shown: Shown; timeZone: string }) {
  const { shown } = props;
  if (shown.kind === 'ready') {
    return (
      <main id="verdict" class="verdict" data-result="READY" aria-live="assertive">
        <h1 id="verdict-headline" class="headline">
          READY
        </h1>
        <p id="verdict-instruction" class="instruction">
          Scan a ticket
        </p>
      </main>
    );
  }
  if (shown.kind === 'error') {
    return (
      <main id="verdict" class="verdict" data-result="ERROR" aria-live="assertive">
        <VerdictBadge shape="diamond" icon="cross" color="#5c5c5c" />
        <h1 id="verdict-headline" class="headline">
          NO ANSWER
        </h1>
        <p id="verdict-instruction" class="instruction">
          {shown.message}
        </p>
      </main>
    );
  }
  const v = shown.verdict;
  const p = presentReply(v, props.timeZone);
  return (
    <main
      id="verdict"
      class="verdict"
      data-result={v.result}
      data-tone={p.tone}
      style={{ background: p.background, color: p.foreground }}
      aria-live="assertive"
    >
      <VerdictBadge shape={p.shape} icon={p.icon} color={p.background} />
      <h1 id="verdict-headline" class="headline">
        {p.headline}
      </h1>
      <p id="verdict-instruction" class="instruction">
        {p.instruction}
      </p>
      <div id="verdict-detail" class="detail">
        {seatLines(v).map((l) => (
          <div key={l}>{l}</div>
        ))}
        <div class="checked">checked {clockWithZone(v.scanned_at, props.timeZone)}</div>
      </div>
    </main>
  );
}
