// process: engine
import { EventEmitter } from 'node:events';
import { connect, createServer, type Server } from 'node:net';
import type { CredentialVerifier } from '@ticketgate/crypto';
import { mesh } from '@ticketgate/protocol';
import type { GateStore } from '../store/gate-store.js';
import { Backoff } from '../sync/backoff.js';
import type { MeshEnvelope } from './envelope.js';
import type { MeshIdentity } from './identity.js';
import { MeshLink } from './link.js';
import { meshScanOf, mergePeerRecords } from './merge.js';

export interface MeshAddress {
  host: string;
  port: number;
}

export interface MeshTiming {
  /** Digests are exchanged this often on every link, besides at each (re)connect. */
  antiEntropyMs: number;
  /** Longest a verdict waits for a pending catch-up from reachable peers. */
  catchUpMs: number;
  reconnectInitialMs: number;
  reconnectMaxMs: number;
}

/** A catch-up answer sends its next page once the link's send buffer is below this. */
const PAGE_BUFFER_BYTES = 512 * 1024;

export const DEFAULT_MESH_TIMING: MeshTiming = { antiEntropyMs: 10_000, catchUpMs: 3_000, reconnectInitialMs: 200, reconnectMaxMs: 5_000 };

export interface MeshOptions {
  listen?: MeshAddress;
  peers: MeshAddress[];
  /** Most peers an admission is pushed to; the others learn it by digest. */
  fanout: number;
  timing: MeshTiming;
}

export interface MeshStatus {
  listening: string | null;
  certified: boolean;
  links: { address: string; outbound: boolean; peer_id: string | null; peer_name: string | null }[];
  records: number;
  pushes_sent: number;
  messages_sent: number;
  messages_received: number;
  refused: number;
  last_refusal: string | null;
  double_admissions: number;
}

export interface MeshEvents {
  /** Seats whose canonical admission a peer changed. */
  learned: [seatIds: string[]];
  /** Own admissions queued again for upload (the server's reply will carry their conflict). */
  requeued: [];
  problem: [message: string];
}

/**
 * The hall mesh node (docs/mesh.md): no leader, no election. It listens for
 * peers, dials the static and discovered ones (reconnecting with backoff),
 * pushes each admission this gate makes to up to `fanout` peers at once, and
 * on every (re)connect — and every antiEntropyMs — sends a digest so the peer
 * answers with only the records this gate lacks. What arrives is verified
 * (envelope) and merged (merge.ts).
 */
export class MeshNode extends EventEmitter<MeshEvents> {
  private server: Server | undefined;
  private readonly links = new Set<MeshLink>();
  private readonly dialers = new Map<string, { stop(): void }>();
  /** Static peers not yet reached or given up on since start: a verdict waits for them (bounded). */
  private readonly startup = new Set<string>();
  private readonly waiters = new Set<() => void>();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private listeningAt: string | null = null;
  private counters = { pushes: 0, sent: 0, received: 0, refused: 0, doubles: 0 };
  private lastRefusal: string | null = null;
  private wasCertified = false;
  private startedAt = 0;

  constructor(
    private readonly store: GateStore,
    private readonly identity: MeshIdentity,
    private readonly envelope: MeshEnvelope,
    private readonly verifier: () => CredentialVerifier,
    private readonly now: () => number,
    private readonly opts: MeshOptions,
  ) {
    super();
  }

  async start(): Promise<void> {
    this.wasCertified = this.identity.self() !== null;
    this.startedAt = performance.now();
    this.adoptOwn();
    if (this.opts.listen) {
      const server = createServer((socket) => this.attach(new MeshLink(socket, `${socket.remoteAddress}:${socket.remotePort}`, false)));
      this.server = server;
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(this.opts.listen!.port, this.opts.listen!.host, () => resolve());
      });
      const a = server.address();
      this.listeningAt = typeof a === 'object' && a ? `${a.address}:${a.port}` : null;
    }
    for (const p of this.opts.peers) {
      const key = `${p.host}:${p.port}`;
      this.startup.add(key);
      this.dial(p);
    }
    this.timer = setInterval(() => this.antiEntropy(), this.opts.timing.antiEntropyMs);
    this.timer.unref();
  }

  /** The port actually listened on (0 asks the system for one). */
  get port(): number | null {
    const a = this.server?.address();
    return typeof a === 'object' && a ? a.port : null;
  }

  /** A peer found on the network (mDNS): dialled like a static one, once. */
  discovered(p: MeshAddress): void {
    if (!this.stopped) this.dial(p);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    for (const d of this.dialers.values()) d.stop();
    for (const l of this.links) l.close();
    this.release();
    if (this.server) await new Promise<void>((r) => this.server!.close(() => r()));
  }

  /** The certificate may have arrived (a manifest): a gate that could not speak until now shares and asks at once. */
  certificateChanged(): void {
    const certified = this.identity.self() !== null;
    if (certified && !this.wasCertified) {
      this.adoptOwn();
      for (const l of this.links) if (l.open) this.sendDigest(l, false);
    }
    this.wasCertified = certified;
  }

  /** A verdict or an annulment was recorded: number this gate's new admissions, exits and annulments and push them. */
  admitted(): void {
    const records = this.adoptOwn();
    if (records.length === 0) return;
    for (let i = 0; i < records.length; i += mesh.MAX_RECORDS_PER_MESSAGE) {
      const sealed = this.envelope.seal('records', { records: records.slice(i, i + mesh.MAX_RECORDS_PER_MESSAGE) });
      if (!sealed) return;
      for (const link of this.pushTargets()) {
        if (link.send(sealed.line)) {
          this.counters.pushes++;
          this.counters.sent++;
        }
      }
    }
  }

  /**
   * Resolves once no catch-up is pending from a reachable peer — a gate that
   * (re)connected waits for the answer to its digest before its next verdict —
   * or after catchUpMs, whichever is first.
   */
  caughtUp(): Promise<void> {
    if (!this.pending()) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(t);
        this.waiters.delete(done);
        resolve();
      };
      const t = setTimeout(done, this.opts.timing.catchUpMs);
      this.waiters.add(done);
    });
  }

  status(): MeshStatus {
    return {
      listening: this.listeningAt,
      certified: this.identity.self() !== null,
      links: [...this.links].map((l) => ({ address: l.address, outbound: l.outbound, peer_id: l.peerId, peer_name: l.peerName })),
      records: this.store.mesh.count(),
      pushes_sent: this.counters.pushes,
      messages_sent: this.counters.sent,
      messages_received: this.counters.received,
      refused: this.counters.refused,
      last_refusal: this.lastRefusal,
      double_admissions: this.counters.doubles,
    };
  }

  private adoptOwn() {
    const self = this.identity.self();
    if (!self) return [];
    return this.store.mesh.adoptOwn({ deviceId: self.deviceId, name: self.name }, meshScanOf, this.now());
  }

  /** A catch-up is pending only for catchUpMs: a peer that never answers (no certificate yet, a stuck link) holds no verdict longer. */
  private pending(): boolean {
    const fresh = (since: number) => performance.now() - since < this.opts.timing.catchUpMs;
    if (this.startup.size > 0 && fresh(this.startedAt)) return true;
    for (const l of this.links) if (l.pendingDigest && fresh(l.pendingDigest.at)) return true;
    return false;
  }

  private release(): void {
    if (this.pending() && !this.stopped) return;
    for (const w of [...this.waiters]) w();
  }

  /** One link per peer device (the first identified), plus links whose peer has not spoken yet; at most `fanout`. */
  private pushTargets(): MeshLink[] {
    const byPeer = new Map<string, MeshLink>();
    const anonymous: MeshLink[] = [];
    for (const l of this.links) {
      if (!l.open) continue;
      if (l.peerId === null) anonymous.push(l);
      else if (!byPeer.has(l.peerId)) byPeer.set(l.peerId, l);
    }
    return [...byPeer.values(), ...anonymous].slice(0, this.opts.fanout);
  }

  private dial(p: MeshAddress): void {
    const key = `${p.host}:${p.port}`;
    if (this.dialers.has(key)) return;
    const backoff = new Backoff({ initialMs: this.opts.timing.reconnectInitialMs, maxMs: this.opts.timing.reconnectMaxMs });
    let timer: NodeJS.Timeout | undefined;
    let current: MeshLink | undefined;
    const attempt = () => {
      if (this.stopped) return;
      const socket = connect({ host: p.host, port: p.port });
      const retry = () => {
        if (this.stopped) return;
        // A peer that cannot be reached at start is not waited for.
        if (this.startup.delete(key)) this.release();
        timer = setTimeout(attempt, backoff.next());
      };
      socket.once('connect', () => {
        backoff.reset();
        socket.off('error', retry);
        current = new MeshLink(socket, key, true);
        current.once('close', retry);
        this.attach(current, key);
      });
      socket.once('error', retry);
    };
    this.dialers.set(key, {
      stop: () => {
        clearTimeout(timer);
        current?.close();
      },
    });
    attempt();
  }

  private attach(link: MeshLink, startupKey?: string): void {
    this.links.add(link);
    link.on('line', (line) => this.receive(link, line, startupKey));
    link.once('close', () => {
      this.links.delete(link);
      this.release();
    });
    this.sendDigest(link, true);
  }

  private sendDigest(link: MeshLink, catchUp: boolean): void {
    const sealed = this.envelope.seal('digest', { digest: this.store.mesh.digest(mesh.MAX_DIGEST_ORIGINS) });
    if (!sealed) return;
    if (catchUp) link.pendingDigest = { id: sealed.id, at: performance.now() };
    if (link.send(sealed.line)) this.counters.sent++;
  }

  private antiEntropy(): void {
    for (const l of this.links) if (l.open) this.sendDigest(l, false);
  }

  private receive(link: MeshLink, line: string, startupKey?: string): void {
    const opened = this.envelope.open(line);
    if (!opened.ok) {
      this.counters.refused++;
      this.lastRefusal = opened.reason;
      this.emit('problem', `mesh: refused a message from ${link.address}: ${opened.reason}`);
      return;
    }
    this.counters.received++;
    const { body, peer } = opened;
    link.peerId = peer.deviceId;
    link.peerName = peer.name;
    switch (body.type) {
      case 'digest':
        void this.answerDigest(link, body.payload.digest, body.id).catch((err: unknown) =>
          this.emit('problem', `mesh: answering ${link.address}: ${(err as Error).message}`),
        );
        return;
      case 'records':
        return this.merge(body.payload.records);
      case 'caught_up':
        if (link.pendingDigest?.id === body.payload.reply_to) {
          link.pendingDigest = null;
          if (startupKey) this.startup.delete(startupKey);
          this.release();
        }
        return;
    }
  }

  /**
   * Sends the records the peer's digest says it lacks, a page at a time, then
   * `caught_up`. Each page waits until the peer has read most of the one before,
   * so a long catch-up holds one page in memory, not the whole answer.
   */
  private async answerDigest(link: MeshLink, digest: mesh.MeshDigest, replyTo: string): Promise<void> {
    for (const origin of this.store.mesh.origins(mesh.MAX_DIGEST_ORIGINS)) {
      let after = digest[origin] ?? 0;
      for (;;) {
        if (this.stopped) return;
        const page = this.store.mesh.since(origin, after, mesh.MAX_RECORDS_PER_MESSAGE);
        if (page.length === 0) break;
        const sealed = this.envelope.seal('records', { records: page });
        if (!sealed || !link.send(sealed.line)) return;
        this.counters.sent++;
        after = page[page.length - 1]!.seq;
        if (page.length < mesh.MAX_RECORDS_PER_MESSAGE) break;
        await link.belowBuffered(PAGE_BUFFER_BYTES);
      }
    }
    const done = this.envelope.seal('caught_up', { reply_to: replyTo });
    if (done && link.send(done.line)) this.counters.sent++;
  }

  private merge(records: mesh.MeshRecord[]): void {
    const self = this.identity.self();
    if (!self) return;
    const report = mergePeerRecords(this.store, records, {
      verifier: this.verifier(),
      hallId: self.hallId,
      selfDeviceId: self.deviceId,
      now: this.now(),
    });
    for (const r of report.refused) {
      this.counters.refused++;
      this.lastRefusal = r;
      this.emit('problem', `mesh: ${r}`);
    }
    this.counters.doubles += report.doubles.length;
    if (report.learned.length) this.emit('learned', report.learned);
    if (report.requeued) this.emit('requeued');
  }
}
