import { encodeIssuingPublicKey, fromBase64Url, ready, sealGateKey } from '@ticketgate/crypto';
import type { sync } from '@ticketgate/protocol';
import type { AppContext } from '../../context.js';
import type { DeviceIdentity } from './device-identity.js';
import { storedPolicies } from './admission-policy.js';
import { currentHallEvents } from './hall-events.js';

/**
 * What a gate needs to decide alone: its hall's current events with their
 * sequence (to know when to pull seats), each event's valid gate keys sealed to
 * this device's box key (so the manifest is useless to anyone else), the
 * public issuing keys that sign tickets (both: the active one and those retired
 * within the rotation overlap), and the sync key chain (rotation). The route
 * signs the whole manifest with the active sync key.
 */
export async function buildHallManifest(
  ctx: Pick<AppContext, 'pool' | 'keys' | 'syncKeys' | 'now'>,
  device: DeviceIdentity,
): Promise<sync.HallManifest> {
  const { rows } = await ctx.pool.query<{ hall_name: string; venue_name: string; box_public_key: string }>(
    `SELECT h.name AS hall_name, v.name AS venue_name, d.box_public_key
       FROM devices d JOIN halls h ON h.id = d.hall_id JOIN venues v ON v.id = h.venue_id
      WHERE d.id = $1`,
    [device.id],
  );
  const hall = rows[0]!;
  await ready();
  const boxKey = fromBase64Url(hall.box_public_key);
  const events: sync.HallManifest['events'] = [];
  const hallEvents = await currentHallEvents(ctx.pool, device.hallId, ctx.now());
  const policies = await storedPolicies(
    ctx.pool,
    hallEvents.map((e) => e.id),
  );
  for (const e of hallEvents) {
    const keys = await ctx.keys.validGateKeys(e.id);
    events.push({
      event_id: e.id,
      name: e.name,
      event_date: e.event_date.toISOString(),
      seq: e.seq,
      // The active key first; a retired one stays listed for the overlap, then drops out of the gate's ring.
      gate_keys: keys.map((key) => ({ kid: key.kid, sealed: sealGateKey(key, boxKey) })),
      // Signed with the rest of the manifest: a gate applies only a policy the server set.
      admission_policy: policies.get(e.id)?.policy ?? null,
    });
  }
  const issuing = await ctx.keys.issuingPublicKeys();
  // Every hall by name: a fan at the wrong door is sent on by name, not by code (hall names are public).
  const halls = await ctx.pool.query<sync.HallName>(
    `SELECT h.id AS hall_id, h.name AS hall_name, v.name AS venue_name FROM halls h JOIN venues v ON v.id = h.venue_id ORDER BY h.id`,
  );
  return {
    hall_id: device.hallId,
    hall_name: hall.hall_name,
    venue_name: hall.venue_name,
    halls: halls.rows,
    device_id: device.id,
    device_name: device.name,
    issuing_keys: issuing.map(encodeIssuingPublicKey),
    sync_keys: await ctx.syncKeys.chain(),
    events,
    server_time: new Date(ctx.now()).toISOString(),
  };
}
