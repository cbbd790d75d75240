// A turnstile that confirms, end to end: the real sync server, a headless gate
// whose relay board is played on a pseudo-terminal and whose passage sensor
// (the hardware package's simulated one) stays silent. The unused admission is
// annulled on the gate after its short timeout, the same ticket is admitted on
// the next scan, and the server, after the uploads, counts the second
// admission only.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PtyPair, RelayBoardSimulator } from '@ticketgate/hardware/simulators';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GateProcess, ServerApi, startSyncServer, tempDir, until, waitSnapshot, type ServerProcess } from './harness.js';

describe('passage sensing with the real server', () => {
  let server: ServerProcess;
  let api: ServerApi;
  let gate: GateProcess;
  let relayPty: PtyPair;
  let relay: RelayBoardSimulator;
  let eventId: string;
  const config = tempDir('tg-e2e-hw-');

  beforeAll(async () => {
    server = await startSyncServer();
    api = new ServerApi(server);
    eventId = await api.arenaEventId();
    relayPty = await PtyPair.create({ names: ['gate-relay', 'relay'] });
    relay = new RelayBoardSimulator(relayPty.b);
    await relay.open();
    const file = join(config.path, 'hardware.json');
    writeFileSync(
      file,
      JSON.stringify({
        output: { type: 'relay-serial', path: relayPty.a, channel: 1, pulseMs: 20 },
        passage: { type: 'simulated', timeoutMs: 300 },
      }),
    );
    gate = await GateProcess.start('Turnstile Gate', server.url, await api.enrolmentCode(), ['--hardware', file]);
    await waitSnapshot(gate, eventId);
  }, 180_000);

  afterAll(async () => {
    await gate?.dispose();
    await relay?.close();
    await relayPty?.stop();
    await server?.dispose();
    config.remove();
  }, 60_000);

  it('annuls an admission nobody walked through; the next scan admits; the server counts only that one', async () => {
    const ticket = await api.buyTicket(eventId);
    await gate.waitSeat(ticket.seatId, 'sold', (s) => s.status === 'SOLD');
    // The fan's code stays fresh for a minute: the same code is shown both times.
    const qr = await api.qr(ticket.seatId);
    const first = await gate.scan(qr);
    expect(first.result).toBe('SUCCESS');

    // No passage: the gate annuls it after its timeout and the seat is admissible again.
    await gate
      .waitSeat(ticket.seatId, 'admissible again', (s) => s.status === 'SOLD' && !s.admitted)
      .catch((err: Error) => {
        throw new Error(`${err.message}\n${gate.output()}`);
      });
    const journal = (await (await gate.api('/scans?limit=10')).json()) as { client_scan_id: string; annulled_at: number | null }[];
    expect(journal.find((s) => s.client_scan_id === first.scan_id)?.annulled_at).not.toBeNull();

    const second = await gate.scan(qr);
    expect(second.result).toBe('SUCCESS');

    // Both uploaded (the first with its annulment): the server holds the second as THE admission.
    const settled = await until(
      'the server has both scans, the first annulled',
      async () => {
        const rows = await api.sql<{ client_scan_id: string; annulled: boolean; canonical: boolean }>(
          `SELECT client_scan_id, annulled_at IS NOT NULL AS annulled,
                  (result = 'SUCCESS' AND NOT is_conflict AND NOT re_entry AND annulled_at IS NULL) AS canonical
             FROM scans WHERE seat_id = $1 ORDER BY scanned_at`,
          [ticket.seatId],
        );
        return rows.length === 2 && rows[0]!.annulled ? rows : undefined;
      },
      30_000,
    );
    expect(settled).toEqual([
      { client_scan_id: first.scan_id, annulled: true, canonical: false },
      { client_scan_id: second.scan_id, annulled: false, canonical: true },
    ]);
    const [seat] = await api.sql<{ status: string; checked_in_at: Date }>('SELECT status, checked_in_at FROM seats WHERE id = $1', [
      ticket.seatId,
    ]);
    expect(seat).toEqual({ status: 'CHECKED_IN', checked_in_at: new Date(second.scanned_at) });
    expect((await gate.status()).conflicts).toBe(0);
  });
});
