/**
 * An event's admission policy as the admission rule reads it (times in epoch
 * ms), and the walk over a seat's movements (entries and exits) that the rule
 * and both elections (a gate's and the server's) share. Pure, like decide.ts.
 *
 * The wire form is sync.AdmissionPolicy (ISO times, snake_case); toRules below
 * converts. No policy at all is SINGLE_ENTRY: one entry per ticket, no times, no
 * zones — the behaviour before policies existed.
 */

export type Direction = 'entry' | 'exit';
export const DIRECTIONS: readonly Direction[] = ['entry', 'exit'];

export interface ZoneRule {
  zone: string;
  /** Ticket categories that may enter this zone. */
  categories: readonly string[];
  /** Gates (device ids) standing at this zone's doors. */
  devices: readonly string[];
}

export interface AdmissionRules {
  /** An exit lets the ticket enter again. */
  reentry: boolean;
  /** Most entries a ticket makes in all (re-entries and new days included); null: no limit beyond the other rules. */
  maxEntries: number | null;
  /** Entries before this are NOT_YET_OPEN (epoch ms). */
  doorsOpenAt: number | null;
  /** Entries after this are ENTRY_CLOSED (epoch ms). */
  lastEntryAt: number | null;
  /** Multi-day events: each UTC day admits the ticket afresh (once, or with re-entry by `reentry`). */
  perDay: boolean;
  zones: readonly ZoneRule[];
}

export const SINGLE_ENTRY: AdmissionRules = {
  reentry: false,
  maxEntries: null,
  doorsOpenAt: null,
  lastEntryAt: null,
  perDay: false,
  zones: [],
};

/** The wire form (sync.AdmissionPolicy), restated structurally so this module needs no zod. */
export interface AdmissionPolicyWire {
  reentry: boolean;
  max_entries: number | null;
  doors_open_at: string | null;
  last_entry_at: string | null;
  per_day: boolean;
  zones: readonly { zone: string; categories: readonly string[]; device_ids: readonly string[] }[];
}

export function toRules(p: AdmissionPolicyWire | null | undefined): AdmissionRules {
  if (!p) return SINGLE_ENTRY;
  return {
    reentry: p.reentry,
    maxEntries: p.max_entries,
    doorsOpenAt: p.doors_open_at === null ? null : Date.parse(p.doors_open_at),
    lastEntryAt: p.last_entry_at === null ? null : Date.parse(p.last_entry_at),
    perDay: p.per_day,
    zones: p.zones.map((z) => ({ zone: z.zone, categories: z.categories, devices: z.device_ids })),
  };
}

/** The zone a gate stands at, null when the policy assigns it none (it then admits every category). */
export function zoneOfDevice(rules: AdmissionRules, deviceId: string | null): string | null {
  if (deviceId === null) return null;
  return rules.zones.find((z) => z.devices.includes(deviceId))?.zone ?? null;
}

/** The zones a category may enter; empty when no zone names it (such tickets enter anywhere). */
export function zonesOfCategory(rules: AdmissionRules, category: string): string[] {
  return rules.zones.filter((z) => z.categories.includes(category)).map((z) => z.zone);
}

/** The UTC calendar day of a time, as a number (days since the epoch). */
export const utcDay = (at: number): number => Math.floor(at / 86_400_000);

/** One recorded movement of a seat (annulled ones are left out by the caller). */
export interface Movement {
  direction: Direction;
  /** Epoch ms. */
  at: number;
  /** Null for online staff. */
  deviceId: string | null;
  scanId: string;
}

/** Whether one more entry is allowed after `state`, at `at`: the one answer of "may this ticket enter again". */
export function mayEnterAgain(rules: AdmissionRules, state: MovementState, at: number): 'yes' | 'inside' | 'limit' {
  if (state.entries === 0) return 'yes';
  if (rules.maxEntries !== null && state.entries >= rules.maxEntries) return 'limit';
  const newDay = rules.perDay && state.lastEntryAt !== null && utcDay(at) !== utcDay(state.lastEntryAt);
  if (newDay) return 'yes';
  return rules.reentry && !state.inside ? 'yes' : 'inside';
}

export interface MovementState {
  /** Entries that counted (the first admission, re-entries, new days). */
  entries: number;
  /** The last counted entry was not followed by an exit. */
  inside: boolean;
  lastEntryAt: number | null;
}

export interface MovementElection<T extends Movement> {
  /** The first entry: THE admission of the seat (canonicalOf's order). */
  canonical: T | null;
  /** Later entries the policy allowed (after an exit, on a new day). */
  reentries: T[];
  /** Entries the policy did not allow: double admissions. */
  conflicts: T[];
  /** Exits of a ticket that was inside. */
  exits: T[];
  state: MovementState;
}

/**
 * Walks a seat's movements in canonical order (compare: canonicalOf's order)
 * and sorts each entry into the first admission, an allowed re-entry or a
 * conflict. Gates and the server run this same walk on the movements they know,
 * so with the same movements they elect the same admission and the same
 * conflicts whatever order the movements arrived in.
 */
export function electMovements<T extends Movement>(
  movements: readonly T[],
  rules: AdmissionRules,
  compare: (a: T, b: T) => number,
): MovementElection<T> {
  const out: MovementElection<T> = {
    canonical: null,
    reentries: [],
    conflicts: [],
    exits: [],
    state: { entries: 0, inside: false, lastEntryAt: null },
  };
  const { state } = out;
  for (const m of [...movements].sort(compare)) {
    if (m.direction === 'exit') {
      if (state.inside) {
        state.inside = false;
        out.exits.push(m);
      }
      continue;
    }
    const may = mayEnterAgain(rules, state, m.at);
    if (may !== 'yes') {
      out.conflicts.push(m);
      continue;
    }
    if (state.entries === 0) out.canonical = m;
    else out.reentries.push(m);
    state.entries++;
    state.inside = true;
    state.lastEntryAt = m.at;
  }
  return out;
}
