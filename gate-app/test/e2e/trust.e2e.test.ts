import { spawn } from 'node:child_process';
import {
  encodeIssuingPublicKey,
  encodeSyncPublicKey,
  fromBase64Url,
  generateGateKey,
  generateIssuingKeyPair,
  generateSyncKeyPair,
  issueCredential,
  ready,
  sealGateKey,
  signSync,
} from '@ticketgate/crypto';
import { sync } from '@ticketgate/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestCa, type TestCa } from '../helpers/test-ca.js';
import { GateProcess, ROOT, ServerApi, startSyncServer, tempDir, until, type ServerProcess } from './harness.js';
import { rewriteJson, startTamperProxy, type TamperProxy, type TamperedReply } from './tamper-proxy.js';

/**
 * A gate believes only the server (docs/sync-protocol.md, "Signed sync"): the
 * REAL server, speaking HTTPS with a certificate of a CA made here, and real
 * gate processes, most of them behind a proxy that rewrites what the server
 * says the way someone on the hall network could.
 */

/** Runs the gate CLI until it exits or its output matches `until` (then stops it); returns code and output. */
async function runCli(args: string[], stopWhen?: RegExp): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'gate-app/src/cli.ts', ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    const seen = (d: Buffer) => {
      output += d.toString();
      if (stopWhen?.test(output)) child.kill('SIGTERM');
    };
    child.stdout.on('data', seen);
    child.stderr.on('data', seen);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

const isReply = (r: TamperedReply, prefix: string) => r.status === 200 && r.path.startsWith(prefix);

describe('signed sync, end to end: HTTPS, a tampering proxy, enrolment binding, insecure URLs', () => {
  let dir: { path: string; remove(): void };
  let ca: TestCa;
  let server: ServerProcess;
  let api: ServerApi;
  let eventId: string;
  const gates: GateProcess[] = [];
  const proxies: TamperProxy[] = [];
  const proxy = async () => {
    const p = await startTamperProxy(server.url, { ca: ca.caPem });
    proxies.push(p);
    return p;
  };
  const gate = async (name: string, url: string, extra: string[] = []) => {
    const g = await GateProcess.start(name, url, await api.enrolmentCode(), extra);
    gates.push(g);
    return g;
  };

  beforeAll(async () => {
    await ready();
    dir = tempDir('tg-e2e-trust-');
    ca = makeTestCa(dir.path);
    server = await startSyncServer({ tls: { certFile: ca.certFile, keyFile: ca.keyFile, caPem: ca.caPem } });
    api = new ServerApi(server);
    eventId = await api.arenaEventId();
  });
  afterAll(async () => {
    for (const g of gates) await g.dispose();
    for (const p of proxies) await p.close();
    await server?.dispose();
    dir?.remove();
  });

  it('HTTPS with a generated CA: a gate given --ca enrols and syncs; without it the certificate is refused', async () => {
    expect(server.url).toMatch(/^https:/);
    const t = await api.buyTicket(eventId);
    const g = await gate('TLS Gate', server.url, ['--ca', ca.caFile]);
    await g.waitSeat(t.seatId, 'sold over HTTPS', (s) => s.status === 'SOLD');
    const status = await g.status();
    expect(status).toMatchObject({ transport: 'https', transport_warning: null, sync_integrity: 'ok' });
    expect((await g.scan(await api.qr(t.seatId))).result).toBe('SUCCESS');

    const untrusting = tempDir('tg-e2e-gate-');
    try {
      const run = await runCli(
        ['--server', server.url, '--data', untrusting.path, '--enrol', await api.enrolmentCode()],
        /server unreachable/,
      );
      expect(run.output).toMatch(
        /enrolment: server unreachable \(POST \/api\/sync\/enrol: (SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY)/,
      );
    } finally {
      untrusting.remove();
    }
  });

  it('a changed manifest, seat delta or stream message is refused and reported; the gate keeps admitting from its last good snapshot', async () => {
    const [t1, t3, t5] = [await api.buyTicket(eventId), await api.buyTicket(eventId), await api.buyTicket(eventId)];
    const p = await proxy();
    const g = await gate('Tampered Gate', p.url);
    await g.waitSeat(t5.seatId, 'sold', (s) => s.status === 'SOLD');
    const deviceId = (await g.status()).device_id;

    // 1. The manifest: one changed value (the hall's name).
    p.tamper.reply = (r) =>
      isReply(r, '/api/sync/hall') ? { ...r, body: rewriteJson(r.body, (e) => void (e.data.hall_name = 'Evil Hall')) } : r;
    let s = await g.waitStatus(
      'the manifest refused',
      (x) => x.sync_integrity === 'refused' && /GET \/api\/sync\/hall/.test(x.sync_integrity_message ?? ''),
    );
    expect(s.sync_integrity_message).toMatch(/signature does not match/);
    expect(s.warnings.join('\n')).toMatch(/SYNC REFUSED: INTEGRITY/);
    expect((await g.scan(await api.qr(t1.seatId))).result).toBe('SUCCESS');
    // The gate told the server (its upload carries the report); operators see it in the device view.
    await until('the device view shows the refusal', async () => {
      const devices = await api.call<sync.DeviceView[]>('GET', '/api/sync/devices?hall_id=HALL-A&per_page=100', { as: 'operator' });
      const d = devices.find((x) => x.device_id === deviceId);
      return d?.sync_integrity === 'refused' && /api\/sync\/hall/.test(d.sync_integrity_message ?? '') ? d : undefined;
    });

    // 2. A seat delta: the sale of t2 arrives with every seat "checked in".
    p.tamper.reply = (r) =>
      isReply(r, `/api/sync/events/${eventId}/seats`)
        ? { ...r, body: rewriteJson(r.body, (e) => void (e.data.seats as unknown[][]).forEach((seat) => (seat[4] = 'CHECKED_IN'))) }
        : r;
    const t2 = await api.buyTicket(eventId);
    s = await g.waitStatus('the delta refused', (x) => /\/seats: /.test(x.sync_integrity_message ?? ''));
    expect((await g.seat(t2.seatId))?.status).toBe('AVAILABLE');
    expect((await g.scan(await api.qr(t3.seatId))).result).toBe('SUCCESS');

    // Tampering stops: the next delta is the server's and applies.
    p.tamper.reply = undefined;
    await g.waitSeat(t2.seatId, 'sold once the link is clean', (x) => x.status === 'SOLD');

    // 3. A stream message: a `seats` announcement with another seq.
    p.tamper.frame = (f) => (f.includes('event: seats') ? f.replace(/"seq":(\d+)/, (_m, n: string) => `"seq":${Number(n) + 1000}`) : f);
    await api.buyTicket(eventId);
    s = await g.waitStatus('the stream message refused', (x) => /live stream: seats message/.test(x.sync_integrity_message ?? ''));
    expect(s.sync_integrity).toBe('refused');
    expect(s.events.find((e) => e.event_id === eventId)!.cursor).toBeLessThan(1000);
    expect((await g.scan(await api.qr(t5.seatId))).result).toBe('SUCCESS');
    p.tamper.frame = undefined;
  });

  it('a substituted issuing key (with a gate key sealed to this gate) is refused: a ticket minted with them is not admitted', async () => {
    const [genuine, target] = [await api.buyTicket(eventId), await api.buyTicket(eventId)];
    const p = await proxy();
    const g = await gate('Key Gate', p.url);
    await g.waitSeat(target.seatId, 'sold', (s) => s.status === 'SOLD');
    const before = await g.status();
    const [device] = await api.sql<{ box_public_key: string }>('SELECT box_public_key FROM devices WHERE id = $1', [before.device_id]);
    const evil = { issuing: generateIssuingKeyPair(), gate: generateGateKey() };
    const sealed = sealGateKey(evil.gate, fromBase64Url(device!.box_public_key));
    p.tamper.reply = (r) =>
      isReply(r, '/api/sync/hall')
        ? {
            ...r,
            body: rewriteJson(r.body, (e) => {
              e.data.issuing_keys = [encodeIssuingPublicKey(evil.issuing)];
              for (const ev of e.data.events as { gate_keys: unknown[] }[]) ev.gate_keys = [{ kid: evil.gate.kid, sealed }];
            }),
          }
        : r;
    await g.waitStatus('the substituted keys refused', (x) => /GET \/api\/sync\/hall/.test(x.sync_integrity_message ?? ''));
    const forged = issueCredential(
      { seatId: target.seatId, eventId, hallCode: 'HALL-A', generation: 1, issuedAt: Math.floor(Date.now() / 1000) },
      { issuing: evil.issuing, gate: evil.gate },
    );
    expect((await g.scan(forged)).result).toBe('QR_INVALID');
    expect((await g.status()).keys).toEqual(before.keys);
    expect((await g.scan(await api.qr(genuine.seatId))).result).toBe('SUCCESS');
    expect((await g.scan(await api.qr(target.seatId))).result).toBe('SUCCESS');
  });

  it("a server time an hour off in a reply does not move the gate's clock", async () => {
    const p = await proxy();
    const g = await gate('Clock Gate', p.url);
    const before = await g.waitStatus('an offset', (x) => x.clock_offset_ms !== null && x.last_sync_at !== null);
    const hourLater = (v: unknown) => new Date(Date.parse(String(v)) + 3_600_000).toISOString();
    p.tamper.reply = (r) =>
      r.status === 200 ? { ...r, body: rewriteJson(r.body, (e) => void (e.data.server_time = hourLater(e.data.server_time))) } : r;
    const refused = await g.waitStatus('three refused replies', (x) => x.sync_refusals >= 3);
    expect(Math.abs(refused.clock_offset_ms! - before.clock_offset_ms!)).toBeLessThan(5_000);
    expect(refused.clock_jump_refused_ms).toBeNull();
  });

  it("an enrolment through a proxy that swaps the server's sync key for its own fails, and the gate stays unenrolled", async () => {
    const p = await proxy();
    const evil = generateSyncKeyPair();
    p.tamper.reply = (r) => {
      if (!isReply(r, '/api/sync/enrol')) return r;
      // Re-signed with the attacker's key; the MAC needs a key derived from the code, which never crossed the network.
      const body = rewriteJson(r.body, (e) => void (e.data.sync_key = encodeSyncPublicKey(evil)));
      const nonce = String(r.requestHeaders[sync.NONCE_HEADER]);
      return { headers: { ...r.headers, [sync.SIGNATURE_HEADER]: signSync(evil, 'enrol', nonce, body) }, body };
    };
    const data = tempDir('tg-e2e-gate-');
    try {
      const run = await runCli(['--server', p.url, '--data', data.path, '--enrol', await api.enrolmentCode()]);
      expect(run.code).not.toBe(0);
      expect(run.output).toMatch(/not authenticated by this code/);
      const again = await runCli(['--server', p.url, '--data', data.path]);
      expect(again).toMatchObject({ code: 2 });
      expect(again.output).toMatch(/no enrolled gate/);
    } finally {
      data.remove();
    }
  });

  it('refuses a plain http:// server on another machine unless --allow-insecure-http is given', async () => {
    const data = tempDir('tg-e2e-gate-');
    try {
      const refused = await runCli(['--server', 'http://192.0.2.10:8000', '--data', data.path]);
      expect(refused.code).toBe(2);
      expect(refused.output).toMatch(/plain http:\/\/ to another machine.*--allow-insecure-http/);
      const allowed = await runCli(['--server', 'http://192.0.2.10:8000', '--data', data.path, '--allow-insecure-http']);
      expect(allowed.code).toBe(2);
      expect(allowed.output).not.toMatch(/--allow-insecure-http/);
      expect(allowed.output).toMatch(/no enrolled gate/);
    } finally {
      data.remove();
    }
  });
});
