// process: engine
import { decodeDeviceKeyPair, encodeDeviceKeyPair, generateDeviceKeyPair, toBase64Url } from '@ticketgate/crypto';
import { sync } from '@ticketgate/protocol';
import type { GateStore } from './store/gate-store.js';
import type { ApiClient } from './sync/api-client.js';

export const APP_VERSION = '0.1.0';

/**
 * Trades a one-time enrolment code for this device's identity and token. The box
 * key pair is created and stored first: the server seals gate keys to it.
 */
export async function enrolDevice(
  api: ApiClient,
  store: GateStore,
  opts: { code: string; name: string; now: number },
): Promise<{ deviceId: string; hallId: string }> {
  const boxKeyPair = decodeDeviceKeyPair(store.device.boxKeyPair(() => encodeDeviceKeyPair(generateDeviceKeyPair())));
  const reply = await api.post('/api/sync/enrol', {
    schema: sync.EnrolResponse,
    body: { code: opts.code, name: opts.name, box_public_key: toBase64Url(boxKeyPair.publicKey), app_version: APP_VERSION },
  });
  store.device.saveEnrolment({
    deviceId: reply.device_id,
    deviceToken: reply.device_token,
    deviceName: opts.name,
    hallId: reply.hall_id,
    serverUrl: api.baseUrl,
    at: opts.now,
  });
  return { deviceId: reply.device_id, hallId: reply.hall_id };
}
