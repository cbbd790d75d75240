import { describe, expect, it } from 'vitest';
import { Backoff, Connectivity, GateClock, SseParser, type SseMessage } from '../src/engine/index.js';

describe('SSE parser', () => {
  it('parses events split anywhere, with CRLF, multi-line data, comments and retry', () => {
    const messages: SseMessage[] = [];
    const comments: string[] = [];
    const p = new SseParser(
      (m) => messages.push(m),
      (c) => comments.push(c),
    );
    const stream =
      'retry: 3000\r\n\r\nevent: hello\r\ndata: {"a":1}\r\n\r\n: heartbeat\n\nevent: seats\ndata: line1\ndata: line2\nid: 7\n\ndata: plain\n\n';
    // Feed it one character at a time: every boundary case at once.
    for (const ch of stream) p.push(ch);
    expect(messages).toEqual([
      { event: 'hello', data: '{"a":1}', id: null },
      { event: 'seats', data: 'line1\nline2', id: '7' },
      { event: 'message', data: 'plain', id: '7' },
    ]);
    expect(comments).toEqual(['heartbeat']);
    expect(p.retryMs).toBe(3000);
  });

  it('does not dispatch an event without data or an unfinished one', () => {
    const messages: SseMessage[] = [];
    const p = new SseParser((m) => messages.push(m));
    p.push('event: nothing\n\nevent: half\ndata: x');
    expect(messages).toEqual([]);
    p.push('\n\n');
    expect(messages).toEqual([{ event: 'half', data: 'x', id: null }]);
  });
});

describe('backoff', () => {
  it('grows exponentially with jitter up to the cap, and resets', () => {
    let r = 0;
    const b = new Backoff({ initialMs: 500, maxMs: 30_000, random: () => r });
    const waits = Array.from({ length: 10 }, () => b.next());
    expect(waits.slice(0, 4)).toEqual([250, 500, 1000, 2000]);
    expect(waits.at(-1)).toBe(15_000);
    r = 1;
    expect(b.next()).toBe(30_000);
    b.reset();
    expect(b.next()).toBe(500);
  });
});

describe('connectivity', () => {
  it('is derived from request outcomes, latency and the live stream', () => {
    let now = 0;
    const c = new Connectivity(() => now, { slowMs: 1000, offlineAfterFailures: 2, staleAfterMs: 60_000 });
    expect(c.state()).toBe('offline');
    c.success(40);
    expect(c.state()).toBe('degraded'); // answers, but no live stream yet
    c.stream(true);
    expect(c.state()).toBe('online');
    c.failure('ECONNRESET');
    expect(c.state()).toBe('degraded');
    c.failure('ECONNREFUSED');
    expect(c.state()).toBe('offline');
    c.success(30);
    expect(c.state()).toBe('online');
    for (let i = 0; i < 8; i++) c.success(2500);
    expect(c.state()).toBe('degraded');
    for (let i = 0; i < 8; i++) c.success(20);
    c.stream(false);
    now += 61_000;
    expect(c.state()).toBe('offline');
  });

  it('reports changes once per transition', () => {
    const c = new Connectivity(() => 0);
    const seen: string[] = [];
    c.onChange((s) => seen.push(s));
    c.stream(true);
    c.success(5);
    c.success(5);
    c.failure('x');
    c.failure('y');
    c.failure('z');
    expect(seen).toEqual(['online', 'degraded', 'offline']);
  });
});

describe('gate clock', () => {
  it('learns the offset from server_time at the request midpoint and warns past the skew', () => {
    let device = 1_000_000;
    const clock = new GateClock(() => device, 10_000);
    expect(clock.snapshot().offsetMs).toBeNull();
    // Sent at 1,000,000, answered at 1,000,200; the server stamped 1,030,100 → offset +30,000.
    clock.observe({ sentAt: 1_000_000, receivedAt: 1_000_200, serverTime: new Date(1_030_100).toISOString() });
    expect(clock.offset()).toBe(30_000);
    expect(clock.now()).toBe(device + 30_000);
    expect(clock.snapshot().warning).toMatch(/30\.0 s behind/);
    // A much slower reply soon after does not override a tight sample.
    clock.observe({ sentAt: 1_001_000, receivedAt: 1_009_000, serverTime: new Date(1_000_000).toISOString() });
    expect(clock.offset()).toBe(30_000);
    // The kiosk clock was really fixed: the server's time says so over three separate syncs, and only then is it believed.
    for (const at of [2_000_000, 2_002_000, 2_004_000]) {
      device = at;
      expect(clock.offset()).toBe(30_000);
      clock.observe({ sentAt: at, receivedAt: at + 10, serverTime: new Date(at + 505).toISOString() });
    }
    expect(clock.offset()).toBe(500);
    expect(clock.snapshot().warning).toBeNull();
  });

  it('refuses a jump of an hour in one signed reply, and says so, until several syncs agree', () => {
    let device = 1_000_000;
    const clock = new GateClock(() => device, 10_000);
    clock.observe({ sentAt: device, receivedAt: device + 20, serverTime: new Date(device + 10 + 200).toISOString() });
    expect(clock.offset()).toBe(200);
    device += 5_000;
    clock.observe({ sentAt: device, receivedAt: device + 20, serverTime: new Date(device + 10 + 3_600_000).toISOString() });
    expect(clock.offset()).toBe(200);
    expect(clock.snapshot()).toMatchObject({ refusedJumpMs: 3_599_800 });
    expect(clock.snapshot().warning).toMatch(/jumped by 3599\.8 s: refused/);
    // Samples in the same sync do not count as separate votes.
    clock.observe({ sentAt: device + 30, receivedAt: device + 50, serverTime: new Date(device + 40 + 3_600_000).toISOString() });
    clock.observe({ sentAt: device + 60, receivedAt: device + 80, serverTime: new Date(device + 70 + 3_600_000).toISOString() });
    expect(clock.offset()).toBe(200);
    // The next normal reply clears the alarm; small drift is still followed.
    device += 5_000;
    clock.observe({ sentAt: device, receivedAt: device + 20, serverTime: new Date(device + 10 + 1_200).toISOString() });
    expect(clock.offset()).toBe(1_200);
    expect(clock.snapshot()).toMatchObject({ refusedJumpMs: null, warning: null });
    // A move larger than the step, alternating with normal replies, never accumulates.
    for (let i = 0; i < 6; i++) {
      device += 2_000;
      const off = i % 2 === 0 ? 60_000 : 1_200;
      clock.observe({ sentAt: device, receivedAt: device + 20, serverTime: new Date(device + 10 + off).toISOString() });
    }
    expect(clock.offset()).toBe(1_200);
  });
});
