// process: engine
import type { MeshAddress } from './mesh-node.js';

/** The DNS-SD service type gates announce: `_ticketgate-mesh._tcp`. */
export const MESH_SERVICE_TYPE = 'ticketgate-mesh';

export interface Discovery {
  stop(): Promise<void>;
}

/**
 * mDNS discovery (docs/mesh.md): announces this gate's mesh port with its hall
 * and device id in the TXT record, and reports every other gate of the same
 * hall it hears. Only a hint: whoever answers must still prove itself with a
 * certificate on every message. Loaded on demand, so a gate without multicast
 * (`--no-mdns`) never opens the socket.
 */
export async function startDiscovery(
  self: { hallId: string; deviceId: string; port: number },
  found: (peer: MeshAddress) => void,
  problem: (message: string) => void,
): Promise<Discovery> {
  const { Bonjour } = await import('bonjour-service');
  const bonjour = new Bonjour({}, (err: unknown) => problem(`mDNS: ${(err as Error).message}`));
  bonjour.publish({
    name: `ticketgate-${self.deviceId}`,
    type: MESH_SERVICE_TYPE,
    port: self.port,
    txt: { hall: self.hallId, device: self.deviceId },
  });
  const browser = bonjour.find({ type: MESH_SERVICE_TYPE }, (service) => {
    const txt = (service.txt ?? {}) as Record<string, unknown>;
    if (txt.hall !== self.hallId || txt.device === self.deviceId) return;
    const host = service.referer?.address ?? service.addresses?.[0];
    if (host) found({ host, port: service.port });
  });
  return {
    stop: () =>
      new Promise<void>((resolve) => {
        browser.stop();
        bonjour.unpublishAll(() => bonjour.destroy(() => resolve()));
      }),
  };
}
