import type { ScanResult } from '@ticketgate/protocol';
import { clockWithZone } from './time.js';

/**
 * How a verdict looks and sounds at a door, for a steward two metres away:
 * one or two words, then what to do. Every verdict differs by colour, icon AND
 * the shape of its badge, so that no steward depends on telling two colours apart.
 */
export type VerdictTone = 'admit' | 'used' | 'redirect' | 'refresh' | 'refuse' | 'unpaid';
export type VerdictIcon = 'check' | 'stop' | 'arrow' | 'clock' | 'cross' | 'card';
export type VerdictShape = 'circle' | 'octagon' | 'arrow' | 'square' | 'diamond' | 'triangle';
/** What the speaker plays: one tone pattern per class of action, not per verdict. */
export type SoundClass = 'admit' | 'refuse' | 'redirect' | 'refresh';

export interface VerdictPresentation {
  result: ScanResult;
  headline: string;
  instruction: string;
  tone: VerdictTone;
  icon: VerdictIcon;
  shape: VerdictShape;
  sound: SoundClass;
  /** Background and text colours, chosen for ≥ 4.5:1 contrast. */
  background: string;
  foreground: string;
}

export interface VerdictDetail {
  firstAdmittedAt?: string | number | Date | null;
  firstAdmittedBy?: string | null;
  /** The hall the ticket is for: its code, and its names when the gate knows them. */
  correctHall?: { code: string; hallName?: string | null; venueName?: string | null } | null;
  /** The venue's display zone (IANA), UTC when unknown. */
  timeZone?: string;
  /** WRONG_ZONE: a zone the ticket may enter. */
  correctZone?: string | null;
  /** SUCCESS of a second or later entry (re-entry after an exit, a new day). */
  reEntry?: boolean;
}

const LOOK: Record<VerdictTone, Pick<VerdictPresentation, 'icon' | 'shape' | 'background' | 'foreground'>> = {
  admit: { icon: 'check', shape: 'circle', background: '#0b6b35', foreground: '#ffffff' },
  used: { icon: 'stop', shape: 'octagon', background: '#b8410b', foreground: '#ffffff' },
  redirect: { icon: 'arrow', shape: 'arrow', background: '#1a4fa0', foreground: '#ffffff' },
  refresh: { icon: 'clock', shape: 'square', background: '#5b2a86', foreground: '#ffffff' },
  refuse: { icon: 'cross', shape: 'diamond', background: '#a3121f', foreground: '#ffffff' },
  unpaid: { icon: 'card', shape: 'triangle', background: '#7a0e4f', foreground: '#ffffff' },
};

function present(result: ScanResult, tone: VerdictTone, sound: SoundClass, headline: string, instruction: string): VerdictPresentation {
  return { result, headline, instruction, tone, sound, ...LOOK[tone] };
}

/** "Esplanade Theatre, Hall B"; the code alone when the gate has no names for it. */
export function hallInWords(hall: NonNullable<VerdictDetail['correctHall']>): string {
  if (hall.hallName && hall.venueName) return `${hall.venueName}, ${hall.hallName}`;
  return hall.hallName ?? `hall ${hall.code}`;
}

/** The one decision of what a verdict says and how it looks. */
export function presentVerdict(result: ScanResult, detail: VerdictDetail = {}): VerdictPresentation {
  switch (result) {
    case 'SUCCESS':
      return detail.reEntry
        ? present(result, 'admit', 'admit', 'RE-ENTRY', 'Let the fan back in')
        : present(result, 'admit', 'admit', 'ADMIT', 'Let the fan in');
    case 'DUPLICATE': {
      if (!detail.firstAdmittedAt)
        return present(result, 'used', 'refuse', 'ALREADY USED', 'Do not admit — this ticket has already entered');
      const by = detail.firstAdmittedBy ? ` at ${detail.firstAdmittedBy}` : '';
      return present(
        result,
        'used',
        'refuse',
        'ALREADY USED',
        `Do not admit — entered ${clockWithZone(detail.firstAdmittedAt, detail.timeZone)}${by}`,
      );
    }
    case 'WRONG_HALL':
      return present(
        result,
        'redirect',
        'redirect',
        'WRONG HALL',
        detail.correctHall ? `Send to ${hallInWords(detail.correctHall)}` : 'Send the fan to the hall printed on the ticket',
      );
    case 'EXPIRED':
      return present(result, 'refresh', 'refresh', 'EXPIRED', 'Ask the fan to refresh the ticket');
    case 'UNPAID':
      return present(result, 'unpaid', 'refuse', 'UNPAID', 'Do not admit — send the fan to the box office');
    case 'NOT_FOUND':
      return present(result, 'refuse', 'refuse', 'NOT VALID', 'Do not admit — ticket not on record; call a supervisor');
    case 'QR_INVALID':
      return present(result, 'refuse', 'refuse', 'NOT VALID', 'Do not admit — not a TicketGate ticket, or altered');
    case 'NOT_YET_OPEN':
      return present(result, 'refresh', 'refresh', 'NOT OPEN', 'Do not admit yet — doors are not open; ask the fan to wait');
    case 'ENTRY_CLOSED':
      return present(result, 'refuse', 'refuse', 'ENTRY CLOSED', 'Do not admit — last entry time has passed; call a supervisor');
    case 'WRONG_ZONE':
      return present(
        result,
        'redirect',
        'redirect',
        'WRONG ZONE',
        detail.correctZone ? `Send to zone ${detail.correctZone}` : 'Send the fan to the zone of the ticket category',
      );
    case 'ENTRY_LIMIT':
      return present(result, 'used', 'refuse', 'LIMIT REACHED', 'Do not admit — this ticket has used all its entries');
    case 'EXITED':
      return present(result, 'admit', 'admit', 'EXITED', 'Let the fan out — exit recorded');
    case 'NOT_INSIDE':
      return present(result, 'refresh', 'refresh', 'NOT INSIDE', 'Let the fan out — no entry on record, exit not counted');
  }
}

/** Counts labelled in words for status lines and reports. */
export const RESULT_IN_WORDS: Record<ScanResult, string> = {
  SUCCESS: 'admitted',
  DUPLICATE: 'already used',
  WRONG_HALL: 'wrong hall',
  EXPIRED: 'expired',
  UNPAID: 'unpaid',
  NOT_FOUND: 'not on record',
  QR_INVALID: 'not a valid ticket',
  NOT_YET_OPEN: 'before doors',
  ENTRY_CLOSED: 'after last entry',
  WRONG_ZONE: 'wrong zone',
  ENTRY_LIMIT: 'entry limit',
  EXITED: 'exited',
  NOT_INSIDE: 'exit, not inside',
};
