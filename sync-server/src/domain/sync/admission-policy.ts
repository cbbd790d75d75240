import { admission, sync } from '@ticketgate/protocol';
import type { Queryable } from '../../db/pool.js';
import { recordAudit } from '../audit/audit-log.js';

/**
 * Each event's admission policy (docs/api.md, "Admission policy"): stored as
 * the validated wire form, read as admission rules by everything that judges a
 * scan (the online /api/verify, the election of uploads) and sent to gates in
 * the signed hall manifest. No row: single entry.
 */

export interface StoredPolicy {
  policy: sync.AdmissionPolicy;
  updatedAt: Date;
}

export async function storedPolicies(db: Queryable, eventIds: readonly string[]): Promise<Map<string, StoredPolicy>> {
  if (eventIds.length === 0) return new Map();
  const { rows } = await db.query<{ event_id: string; policy: unknown; updated_at: Date }>(
    'SELECT event_id, policy, updated_at FROM event_admission_policies WHERE event_id = ANY($1::uuid[])',
    [[...new Set(eventIds)]],
  );
  // Parsed again on read: a row written by an older version gets the current defaults.
  return new Map(rows.map((r) => [r.event_id, { policy: sync.AdmissionPolicy.parse(r.policy), updatedAt: r.updated_at }]));
}

/** The rules of each event (SINGLE_ENTRY for an event without a policy). */
export async function admissionRules(db: Queryable, eventIds: readonly string[]): Promise<Map<string, admission.AdmissionRules>> {
  const stored = await storedPolicies(db, eventIds);
  return new Map(eventIds.map((id) => [id, admission.toRules(stored.get(id)?.policy)]));
}

export function policyView(eventId: string, stored: StoredPolicy | undefined): sync.AdmissionPolicyView {
  return {
    event_id: eventId,
    policy: stored?.policy ?? sync.AdmissionPolicy.parse({}),
    custom: stored !== undefined,
    updated_at: stored?.updatedAt.toISOString() ?? null,
  };
}

/** Replaces the event's policy and audits it, in the caller's transaction. Gates receive it with their next manifest. */
export async function savePolicy(
  db: Queryable,
  eventId: string,
  policy: sync.AdmissionPolicy,
  actor: { id: string; role: string },
): Promise<StoredPolicy> {
  const { rows } = await db.query<{ updated_at: Date }>(
    `INSERT INTO event_admission_policies (event_id, policy, updated_by, updated_at) VALUES ($1, $2, $3, now())
     ON CONFLICT (event_id) DO UPDATE SET policy = excluded.policy, updated_by = excluded.updated_by, updated_at = now()
     RETURNING updated_at`,
    [eventId, JSON.stringify(policy), actor.id],
  );
  await recordAudit(db, {
    actor,
    action: 'admission_policy.set',
    targetType: 'event',
    targetId: eventId,
    details: { policy },
  });
  return { policy, updatedAt: rows[0]!.updated_at };
}
