import { afterEach, describe, expect, it } from 'vitest';
import { checkServerUrl, GateEngine, InsecureServerUrlError } from '../src/engine/index.js';
import { createLocalHall, type LocalHall } from './helpers/local-hall.js';

describe('server URL policy', () => {
  let hall: LocalHall | undefined;
  let gate: GateEngine | undefined;
  afterEach(async () => {
    await gate?.close();
    hall?.cleanup();
  });

  it('https anywhere; http only to this machine unless explicitly allowed', () => {
    expect(checkServerUrl('https://sync.example.org', false)).toBe('https');
    for (const u of ['http://127.0.0.1:8000', 'http://localhost:8000', 'http://[::1]:8000', 'http://127.1.2.3'])
      expect(checkServerUrl(u, false)).toBe('http-loopback');
    // Names that only look local are not: a DNS answer decides where they go.
    for (const u of ['http://192.0.2.10:8000', 'http://localhost.example.org', 'http://127.0.0.1.nip.io', 'http://0.0.0.0:8000']) {
      expect(() => checkServerUrl(u, false)).toThrow(InsecureServerUrlError);
      expect(checkServerUrl(u, true)).toBe('http-insecure');
    }
    expect(() => checkServerUrl('ftp://sync.example.org', true)).toThrow(/only https/);
    expect(() => checkServerUrl('not a url', true)).toThrow(/not a URL/);
  });

  it('a gate on insecure http refuses to open without the flag, and warns for as long as it runs with it', async () => {
    hall = await createLocalHall();
    await expect(GateEngine.open({ dataDir: hall.dir, serverUrl: 'http://192.0.2.10:8000' })).rejects.toThrow(/--allow-insecure-http/);
    gate = await GateEngine.open({ dataDir: hall.dir, serverUrl: 'http://192.0.2.10:8000', allowInsecureHttp: true });
    const status = gate.status();
    expect(status.transport).toBe('http-insecure');
    expect(status.transport_warning).toMatch(/INSECURE CONNECTION/);
    expect(status.warnings).toContain(status.transport_warning);
    // Verdicts are unaffected: the snapshot is local.
    expect((await gate.scan(hall.ticket(hall.seats.sold))).result).toBe('SUCCESS');
  });
});
