// process: renderer
import { useState } from 'preact/hooks';
import { clockWithZone } from '@ticketgate/ui';
import type { GateStatus } from '../gate-client.js';

export type DeviceProblem = 'not_enrolled' | 'revoked' | 'unknown';

/** The one decision of whether this gate lacks a working identity, and which way. */
export function deviceProblem(s: GateStatus | null): DeviceProblem | null {
  if (!s) return null;
  if (!s.enrolled) return 'not_enrolled';
  if (s.revoked) return 'revoked';
  if (s.device_unknown) return 'unknown';
  return null;
}

const HEADLINE: Record<DeviceProblem, string> = {
  not_enrolled: 'NOT ENROLLED',
  revoked: 'GATE REVOKED',
  unknown: 'GATE UNKNOWN',
};

function explanation(problem: DeviceProblem, s: GateStatus): string {
  switch (problem) {
    case 'not_enrolled':
      return 'This gate has no identity yet. Ask the control room for an enrolment code.';
    case 'revoked':
      return `An operator revoked this gate${s.revoked_at ? ` at ${clockWithZone(s.revoked_at, s.time_zone)}` : ''}. Do not rely on it: send fans to another gate and ask the control room for a new code.`;
    case 'unknown':
      return 'The server no longer knows this gate. Send fans to another gate and ask the control room for a new code.';
  }
}

export interface EnrolState {
  busy: boolean;
  error: string | null;
}

/** Full screen for a gate that cannot be trusted to admit: what happened, and the way back (an enrolment code). */
export function DeviceScreen(props: {
  problem: DeviceProblem;
  status: GateStatus;
  enrol: EnrolState;
  onEnrol(code: string, server: string | undefined): void;
}) {
  const [code, setCode] = useState('');
  const [server, setServer] = useState('');
  const needsServer = !props.status.server_url;
  return (
    <main id="device-screen" class="device-screen" data-problem={props.problem} aria-live="assertive">
      <h1 class="headline">{HEADLINE[props.problem]}</h1>
      <p class="instruction">{explanation(props.problem, props.status)}</p>
      <form
        id="enrol"
        class="enrol"
        autocomplete="off"
        onSubmit={(e) => {
          e.preventDefault();
          if (code.trim()) props.onEnrol(code.trim(), needsServer && server.trim() ? server.trim() : undefined);
        }}
      >
        <label for="enrol-code">Enrolment code</label>
        <input
          id="enrol-code"
          value={code}
          onInput={(e) => setCode(e.currentTarget.value)}
          placeholder="XXXX-XXXX-XXXX-XXXX"
          spellcheck={false}
        />
        {needsServer ? (
          <>
            <label for="enrol-server">Server address</label>
            <input
              id="enrol-server"
              value={server}
              onInput={(e) => setServer(e.currentTarget.value)}
              placeholder="https://…"
              spellcheck={false}
            />
          </>
        ) : null}
        <button type="submit" disabled={props.enrol.busy}>
          {props.enrol.busy ? 'Enrolling…' : 'Enrol'}
        </button>
        <p class="hint">…or show the enrolment QR from the operator console to the scanner or the camera.</p>
        {props.enrol.error ? (
          <p id="enrol-error" class="error" role="alert">
            {props.enrol.error}
          </p>
        ) : null}
      </form>
    </main>
  );
}
