// process: engine
import { decodeDeviceKeyPair, encodeDeviceKeyPair, enrolmentCodeId, generateDeviceKeyPair, toBase64Url } from '@ticketgate/crypto';
import { meshKeyPairOf } from './mesh/identity.js';
import { sync } from '@ticketgate/protocol';
import type { GateStore } from './store/gate-store.js';
import type { ApiClient } from './sync/api-client.js';
import { SyncTrust } from './sync/trust.js';

export const APP_VERSION = '0.1.0';

/**
 * Trades a one-time enrolment code for this device's identity and token. The box
 * key pair is created and stored first: the server seals gate keys to it. The
 * code never leaves the gate (its HKDF id does); the reply must carry a MAC made
 * with another key derived from the code and the signature of the sync key it
 * names, which the gate then pins. A reply that fails either is refused and
 * nothing is saved.
 */
export async function enrolDevice(
  api: ApiClient,
  store: GateStore,
  opts: { code: string; name: string; now: number },
): Promise<{ deviceId: string; hallId: string }> {
  const boxKeyPair = decodeDeviceKeyPair(store.device.boxKeyPair(() => encodeDeviceKeyPair(generateDeviceKeyPair())));
  const reply = await api.post('/api/sync/enrol', {
    schema: sync.EnrolResponse,
    signed: { kind: 'enrol', key: SyncTrust.enrolmentSigner(opts.code) },
    body: {
      code_id: enrolmentCodeId(opts.code),
      name: opts.name,
      box_public_key: toBase64Url(boxKeyPair.publicKey),
      app_version: APP_VERSION,
      // Certified for the hall mesh: the first manifest carries the certificate.
      mesh_public_key: toBase64Url(meshKeyPairOf(store.device).publicKey),
    },
  });
  store.device.saveEnrolment({
    deviceId: reply.device_id,
    deviceToken: reply.device_token,
    deviceName: opts.name,
    hallId: reply.hall_id,
    serverUrl: api.baseUrl,
    syncKey: reply.sync_key,
    at: opts.now,
  });
  return { deviceId: reply.device_id, hallId: reply.hall_id };
}
