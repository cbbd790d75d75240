export const STAKEHOLDERS = ['organizer', 'platform', 'charity'] as const;
export type Stakeholder = (typeof STAKEHOLDERS)[number];

/** Each stakeholder's share in basis points (1/100 of a percent); they sum to 10,000. */
export type RevenueSplit = Record<Stakeholder, number>;

export interface Distribution {
  stakeholder: Stakeholder;
  cents: number;
  basisPoints: number;
}

/** "85/10/5" (organizer/platform/charity percentages, up to two decimals each) → basis points. */
export function parseSplit(text: string): RevenueSplit {
  const parts = text.split('/').map((p) => Math.round(Number(p) * 100));
  if (parts.length !== STAKEHOLDERS.length || parts.some((p) => !Number.isInteger(p) || p < 0)) {
    throw new Error(`revenue split "${text}" must be three percentages like 85/10/5`);
  }
  if (parts.reduce((a, b) => a + b, 0) !== 10_000) throw new Error(`revenue split "${text}" must sum to 100`);
  return Object.fromEntries(STAKEHOLDERS.map((s, i) => [s, parts[i]!])) as RevenueSplit;
}

/**
 * Splits an amount of cents by the shares with the largest-remainder method, so
 * the parts always add up to the total exactly: every part is first rounded
 * down, then the cents left over go one each to the parts that lost the most to
 * rounding (ties to the earlier stakeholder). BigInt keeps amount × share exact.
 */
export function splitCents(totalCents: number, split: RevenueSplit): Distribution[] {
  if (!Number.isSafeInteger(totalCents) || totalCents < 0) throw new RangeError('totalCents must be a non-negative safe integer');
  const total = BigInt(totalCents);
  const parts = STAKEHOLDERS.map((stakeholder, order) => {
    const exact = total * BigInt(split[stakeholder]);
    return { stakeholder, order, cents: exact / 10_000n, remainder: exact % 10_000n };
  });
  let left = total - parts.reduce((sum, p) => sum + p.cents, 0n);
  const byRemainder = [...parts].sort((a, b) => (a.remainder === b.remainder ? a.order - b.order : a.remainder > b.remainder ? -1 : 1));
  for (const p of byRemainder) {
    if (left === 0n) break;
    p.cents += 1n;
    left -= 1n;
  }
  return parts.map((p) => ({ stakeholder: p.stakeholder, cents: Number(p.cents), basisPoints: split[p.stakeholder] }));
}
