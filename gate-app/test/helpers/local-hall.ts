import { mkdtempSync, rmSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  encodeDeviceKeyPair,
  encodeIssuingPublicKey,
  encodeSyncPublicKey,
  generateDeviceKeyPair,
  generateGateKey,
  generateIssuingKeyPair,
  generateSyncKeyPair,
  issueCredential,
  ready,
  sealGateKey,
  type GateKey,
  type IssuingKeyPair,
  type SyncKeyPair,
} from '@ticketgate/crypto';
import { applySeatBatch, GateStore, type ServerSeat } from '../../src/engine/index.js';

/**
 * A hall without a server: locally generated issuing and gate keys, one event,
 * seats in every state, written into a gate data folder the way a sync would.
 */
export interface LocalHall {
  dir: string;
  hallId: string;
  eventId: string;
  issuing: IssuingKeyPair;
  gate: GateKey;
  /** The sync key the gate has pinned: a scripted server signs its replies with it. */
  syncKey: SyncKeyPair;
  seats: Record<'sold' | 'sold2' | 'held' | 'available' | 'admitted' | 'bumped', ServerSeat>;
  /** Extra SOLD seats for bursts. */
  many: ServerSeat[];
  ticket(
    seat: ServerSeat,
    o?: { generation?: number; issuedAt?: number; hallCode?: string; gate?: GateKey; issuing?: IssuingKeyPair },
  ): string;
  cleanup(): void;
}

export async function createLocalHall(opts: { manySeats?: number; hallId?: string } = {}): Promise<LocalHall> {
  await ready();
  const dir = mkdtempSync(join(tmpdir(), 'tg-gate-'));
  const hallId = opts.hallId ?? 'HALL-A';
  const eventId = randomUUID();
  const issuing = generateIssuingKeyPair();
  const gate = generateGateKey();
  const box = generateDeviceKeyPair();
  const syncKey = generateSyncKeyPair();
  const seat = (row: string, n: number, status: ServerSeat['status'], extra: Partial<ServerSeat> = {}): ServerSeat => ({
    seatId: randomUUID(),
    eventId,
    row,
    number: n,
    category: 'CAT1',
    status,
    generation: 1,
    holder: status === 'SOLD' || status === 'CHECKED_IN' ? `Holder ${row}${n}` : null,
    admittedAt: null,
    admittedBy: null,
    admittedDevice: null,
    ...extra,
  });
  const seats = {
    sold: seat('A', 1, 'SOLD'),
    sold2: seat('A', 2, 'SOLD'),
    held: seat('A', 3, 'HELD'),
    available: seat('A', 4, 'AVAILABLE'),
    admitted: seat('A', 5, 'CHECKED_IN', {
      admittedAt: Date.parse('2026-06-15T18:42:03Z'),
      admittedBy: 'Gate North',
      admittedDevice: randomUUID(),
    }),
    bumped: seat('A', 6, 'SOLD', { generation: 3 }),
  };
  const many = Array.from({ length: opts.manySeats ?? 0 }, (_, i) => seat('B', i + 1, 'SOLD'));

  const store = GateStore.open(dir);
  try {
    store.device.boxKeyPair(() => encodeDeviceKeyPair(box));
    store.device.saveEnrolment({
      deviceId: randomUUID(),
      deviceToken: 'local-test-token',
      deviceName: 'Gate Test',
      hallId,
      serverUrl: '',
      syncKey: encodeSyncPublicKey(syncKey),
      at: Date.now(),
    });
    store.device.saveHall('Main Arena', 'Test Venue', 'Gate Test');
    store.catalog.saveEvents([{ eventId, name: 'Local Test Night', eventDate: '2026-06-15T19:00:00Z', seq: 10 }]);
    store.keys.replace(
      { gate: [{ kid: gate.kid, eventId, sealed: sealGateKey(gate, box.publicKey) }], issuing: [encodeIssuingPublicKey(issuing)] },
      () => issuing.kid,
    );
    applySeatBatch(store, { eventId, full: true, cursor: 10, seats: [...Object.values(seats), ...many] }, Date.now());
  } finally {
    store.close();
  }
  return {
    dir,
    hallId,
    eventId,
    issuing,
    gate,
    syncKey,
    seats,
    many,
    ticket(s, o = {}) {
      return issueCredential(
        {
          seatId: s.seatId,
          eventId: s.eventId,
          hallCode: o.hallCode ?? hallId,
          generation: o.generation ?? s.generation,
          issuedAt: o.issuedAt ?? Math.floor(Date.now() / 1000),
        },
        { issuing: o.issuing ?? issuing, gate: o.gate ?? gate },
      );
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export function tempDir(): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), 'tg-gate-'));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}
