// process: engine
import { EventEmitter } from 'node:events';
import { hostname } from 'node:os';
import { ready, DEFAULT_CLOCK_SKEW_SECONDS } from '@ticketgate/crypto';
import { SCAN_RESULTS, type kiosk, type ScanResult, type sync } from '@ticketgate/protocol';
import { enrolDevice } from './enrol.js';
import { startDiscovery, type Discovery } from './mesh/discovery.js';
import { MeshEnvelope } from './mesh/envelope.js';
import { MeshIdentity } from './mesh/identity.js';
import { DEFAULT_MESH_TIMING, MeshNode, type MeshAddress, type MeshTiming } from './mesh/mesh-node.js';
import type { SeatRow } from './store/catalog-repo.js';
import { GateStore } from './store/gate-store.js';
import { ApiClient } from './sync/api-client.js';
import { GateClock } from './sync/clock.js';
import { Connectivity, type ConnectivityState } from './sync/connectivity.js';
import { IntegrityMonitor } from './sync/integrity.js';
import { DEFAULT_TIMING, SyncClient, type SyncTiming } from './sync/sync-client.js';
import { checkServerUrl, dispatcherTrusting, transportWarning, type Transport } from './sync/transport.js';
import { SyncTrust } from './sync/trust.js';
import { KeyRing } from './verify/key-ring.js';
import { ScanDesk, type ScanVerdict } from './verify/scan-desk.js';
import { iso, verdictView } from './views.js';

export interface GateEngineOptions {
  dataDir: string;
  /** Overrides the server URL stored at enrolment. */
  serverUrl?: string;
  skewSeconds?: number;
  /** Device-bound codes: how many 15-second steps a phone's clock may be off (default 1). */
  stepSkew?: number;
  timeZone?: string;
  /** This gate's name at enrolment (also from the kiosk screen); the host name when not given. */
  name?: string;
  timing?: Partial<SyncTiming>;
  /** Device clock (tests move it). */
  deviceClock?: () => number;
  /** Accept a plain http:// server URL to another machine (then warned about on the kiosk, permanently). */
  allowInsecureHttp?: boolean;
  /** PEM file of a private CA the server's certificate is issued by (trusted besides the system roots). */
  caFile?: string;
  /** False: store and show no holder names (`--hide-holder-names`); verdicts and /seats then carry `holder: null`. Default true. */
  holderNames?: boolean;
  /** The direction of scans that do not name theirs (`--direction`): an exit gate says `exit`. Default entry. */
  direction?: sync.Direction;
  /** The hall mesh (docs/mesh.md): absent, this gate learns other gates' admissions from the server only. */
  mesh?: GateMeshOptions;
}

export interface GateMeshOptions {
  /** Where peers reach this gate (`--mesh HOST:PORT`); absent, it only dials out. */
  listen?: MeshAddress;
  /** Static peers (`--peer HOST:PORT`, repeated). */
  peers: MeshAddress[];
  /** Announce and discover peers by mDNS (off with `--no-mdns`). */
  mdns: boolean;
  /** Most peers an admission is pushed to directly (default 16). */
  fanout?: number;
  /** A message more than this far from this gate's clock is refused (default 60 s). */
  windowMs?: number;
  timing?: Partial<MeshTiming>;
}

export interface GateEngineEvents {
  verdict: [verdict: ScanVerdict];
  /** The turnstile opened for this scan and nobody passed: it was annulled. */
  annulled: [verdict: ScanVerdict];
  /** The passage sensor confirmed this scan's passage. */
  passed: [verdict: ScanVerdict];
  enrolled: [deviceId: string];
  revoked: [note: string];
  problem: [message: string];
  connectivity: [state: ConnectivityState];
}

export class NotEnrolledError extends Error {
  constructor() {
    super('this gate is not enrolled: start it once with an enrolment code');
    this.name = 'NotEnrolledError';
  }
}

/**
 * The gate: store, verifier and sync client in one object, for the CLI, the
 * Electron main process and tests. Verdicts are always local; sync only moves data.
 */
export class GateEngine extends EventEmitter<GateEngineEvents> {
  readonly store: GateStore;
  readonly clock: GateClock;
  readonly connectivity: Connectivity;
  readonly keyRing: KeyRing;
  readonly integrity: IntegrityMonitor;
  readonly trust: SyncTrust;
  private readonly timing: SyncTiming;
  private readonly dispatcher;
  private transport: Transport | null = null;
  private api: ApiClient | undefined;
  private syncClient: SyncClient | undefined;
  private desk: ScanDesk | undefined;
  private meshNode: MeshNode | undefined;
  private discovery: Discovery | undefined;
  private problems: { at: number; message: string }[] = [];
  private lastPersistedOffset: number | null;
  private closed = false;

  static async open(opts: GateEngineOptions): Promise<GateEngine> {
    await ready();
    return new GateEngine(opts);
  }

  private constructor(private readonly opts: GateEngineOptions) {
    super();
    this.store = GateStore.open(opts.dataDir, { holderNames: opts.holderNames ?? true });
    // A gate never talks to a server it may not trust the link to: refused at start, given or stored.
    try {
      const url = this.serverUrl();
      if (url) this.transport = checkServerUrl(url, opts.allowInsecureHttp ?? false);
      this.dispatcher = opts.caFile ? dispatcherTrusting(opts.caFile) : undefined;
    } catch (err) {
      this.store.close();
      throw err;
    }
    this.trust = new SyncTrust(this.store.device);
    const deviceClock = opts.deviceClock ?? Date.now;
    const skewSeconds = opts.skewSeconds ?? DEFAULT_CLOCK_SKEW_SECONDS;
    this.lastPersistedOffset = this.store.syncState.hall().clockOffsetMs;
    this.clock = new GateClock(deviceClock, skewSeconds * 1000, this.lastPersistedOffset);
    this.clock.onChange((offset) => {
      // The offset survives restarts (an offline boot still corrects the clock), but is not rewritten for jitter.
      if (this.lastPersistedOffset === null || Math.abs(offset - this.lastPersistedOffset) >= 100) {
        this.lastPersistedOffset = offset;
        if (!this.closed) this.store.syncState.recordClockOffset(offset);
      }
    });
    this.connectivity = new Connectivity(deviceClock);
    this.integrity = new IntegrityMonitor(deviceClock);
    this.connectivity.onChange((s) => this.emit('connectivity', s));
    this.keyRing = new KeyRing({ skewSeconds, ...(opts.stepSkew !== undefined ? { stepSkew: opts.stepSkew } : {}) });
    this.timing = { ...DEFAULT_TIMING, ...opts.timing };
    this.reloadKeys();
    if (this.isEnrolled()) this.setUp();
  }

  isEnrolled(): boolean {
    return Boolean(this.store.device.get()?.device_token);
  }

  /** False for a folder enrolled before signed sync: it must enrol again before it syncs. */
  hasPinnedSyncKey(): boolean {
    return this.trust.pinned() !== null;
  }

  isRevoked(): boolean {
    return this.store.device.get()?.revoked_at != null;
  }

  serverUrl(): string | undefined {
    return this.opts.serverUrl ?? this.store.device.get()?.server_url ?? undefined;
  }

  /**
   * Enrols with a one-time code (also how a revoked gate gets a new identity, keeping its snapshot and scans).
   * `serverUrl` serves a gate that does not know its server yet (an enrolment QR names it).
   */
  async enrol(code: string, name = this.opts.name ?? `gate-${hostname()}`.slice(0, 64), serverUrl = this.serverUrl()): Promise<void> {
    if (!serverUrl) throw new Error('enrolment needs the server URL');
    await this.syncClient?.stop();
    const { deviceId } = await enrolDevice(this.client(serverUrl), this.store, { code, name, now: this.clock.device() });
    this.setUp();
    this.emit('enrolled', deviceId);
  }

  /** A verdict as the local API and the CLI show it, with the other hall's names from the manifest. */
  view(v: ScanVerdict): kiosk.VerdictReply {
    return verdictView(v, (code) => this.store.halls.get(code));
  }

  /** Starts syncing (no-op when revoked: the gate keeps verifying from its snapshot) and the mesh. */
  start(): void {
    if (!this.isEnrolled()) throw new NotEnrolledError();
    this.syncClient?.start();
    void this.startMesh().catch((err: unknown) => this.problem(`mesh: ${(err as Error).message}`));
  }

  /** The mesh node, once started (tests and the CLI read its address). */
  mesh(): MeshNode | undefined {
    return this.meshNode;
  }

  /** Starts the mesh node once (idempotent); resolves when it listens. */
  async startMesh(): Promise<void> {
    const o = this.opts.mesh;
    if (!o || this.meshNode || this.closed) return;
    const skewMs = (this.opts.skewSeconds ?? DEFAULT_CLOCK_SKEW_SECONDS) * 1000;
    const identity = new MeshIdentity(this.store.device, this.store.mesh, this.trust, () => this.clock.now(), skewMs);
    const node = new MeshNode(
      this.store,
      identity,
      new MeshEnvelope(identity, () => this.clock.now(), o.windowMs ?? 60_000),
      () => this.keyRing.verifier,
      () => this.clock.device(),
      {
        ...(o.listen ? { listen: o.listen } : {}),
        peers: o.peers,
        fanout: o.fanout ?? 16,
        timing: { ...DEFAULT_MESH_TIMING, ...o.timing },
      },
    );
    this.meshNode = node;
    node.on('problem', (m) => this.problem(m));
    // An own admission lost to a peer's earlier one: the next upload's reply carries the conflict.
    node.on('requeued', () => this.syncClient?.scanRecorded());
    await node.start();
    const d = this.store.device.get();
    if (o.mdns && node.port !== null && d?.device_id && d.hall_id) {
      this.discovery = await startDiscovery(
        { hallId: d.hall_id, deviceId: d.device_id, port: node.port },
        (peer) => node.discovered(peer),
        (m) => this.problem(m),
      );
    }
  }

  async scan(text: string, source = 'api', direction?: sync.Direction): Promise<ScanVerdict> {
    if (!this.desk) throw new NotEnrolledError();
    // A gate that just (re)joined its peers decides only once it heard what they admitted meanwhile (bounded wait).
    await this.meshNode?.caughtUp();
    return this.desk.scan(text, source, direction);
  }

  /** Nobody went through after this scan opened the turnstile: annul it (the seat is admissible again). */
  annul(v: ScanVerdict): boolean {
    return this.desk?.annul(v) ?? false;
  }

  /** The passage sensor saw this scan's holder go through: the admission stands. */
  confirmPassage(v: ScanVerdict): void {
    this.emit('passed', v);
  }

  seat(seatId: string): SeatRow | undefined {
    return this.store.catalog.seat(seatId);
  }

  sync(): SyncClient | undefined {
    return this.syncClient;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.desk?.drain();
    await this.syncClient?.stop();
    await this.discovery?.stop();
    await this.meshNode?.stop();
    this.closed = true;
    this.store.close();
  }

  /** GET /status of the local API (kiosk.GateStatus). */
  status(): kiosk.GateStatus {
    const device = this.store.device.get();
    const link = this.connectivity.snapshot();
    const clock = this.clock.snapshot();
    const hall = this.store.syncState.hall();
    const counts = this.store.scans.countsByResult();
    const byResult = Object.fromEntries(SCAN_RESULTS.map((r) => [r, counts[r] ?? 0])) as Record<ScanResult, number>;
    const eventCounts = new Map(this.store.catalog.counts().map((c) => [c.event_id, c]));
    const revoked = device?.revoked_at != null;
    const warnings: string[] = [];
    if (revoked)
      warnings.push(
        `DEVICE REVOKED: ${device?.revoked_note ?? 'revoked by the server'} — verifying from the last snapshot only; re-enrol this gate`,
      );
    const transportNote = transportWarning(this.transport);
    if (transportNote) warnings.push(transportNote);
    const integrity = this.integrity.snapshot();
    if (integrity.state === 'refused')
      warnings.push(`SYNC REFUSED: INTEGRITY — ${integrity.message ?? ''}; deciding on the last good snapshot`);
    if (device?.device_token && !device.sync_key)
      warnings.push('no sync key pinned (enrolled by an older version): enrol this gate again to sync');
    if (clock.warning) warnings.push(clock.warning);
    for (const p of this.keyRing.problems) warnings.push(`key: ${p}`);
    const conflictCount = this.store.scans.conflictCount();
    if (conflictCount) warnings.push(`${conflictCount} double admission(s) reported by the server`);
    // Flat where the kiosk UI reads it, details beside.
    return {
      device_id: device?.device_id ?? null,
      device_name: device?.device_name ?? null,
      hall_id: device?.hall_id ?? null,
      hall_name: device?.hall_name ?? null,
      venue_name: device?.venue_name ?? null,
      server_url: this.serverUrl() ?? null,
      time_zone: this.opts.timeZone ?? 'UTC',
      enrolled: Boolean(device?.device_token),
      enrolled_at: iso(device?.enrolled_at),
      revoked,
      revoked_at: iso(device?.revoked_at),
      revocation: device?.revoked_note ?? null,
      device_unknown: isUnknown(this.syncClient?.lastUnknownAt ?? null, hall.lastSuccessAt),
      connectivity: revoked ? 'offline' : link.state,
      link: {
        last_success_at: iso(link.lastSuccessAt),
        last_failure_at: iso(link.lastFailureAt),
        last_error: link.lastError,
        consecutive_failures: link.consecutiveFailures,
        latency_ms: link.latencyMs,
        stream_connected: link.streamConnected,
      },
      last_sync_at: iso(hall.lastSuccessAt),
      last_push_at: iso(this.syncClient?.lastPush),
      backlog: this.store.scans.pendingCount(),
      rejected_uploads: this.store.scans.rejectedCount(),
      counts: byResult,
      total_scans: Object.values(byResult).reduce((a, b) => a + b, 0),
      clock_offset_ms: clock.offsetMs,
      clock_warning: clock.warning !== null,
      clock_message: clock.warning,
      clock_skew_ms: (this.opts.skewSeconds ?? DEFAULT_CLOCK_SKEW_SECONDS) * 1000,
      clock_jump_refused_ms: clock.refusedJumpMs,
      sync_integrity: integrity.state,
      sync_integrity_message: integrity.message,
      sync_integrity_at: iso(integrity.at),
      sync_refusals: integrity.refusals,
      transport: this.transport,
      transport_warning: transportNote,
      conflicts: conflictCount,
      recent_conflicts: this.store.scans.conflicts(20).map((c) => ({
        client_scan_id: c.client_scan_id,
        seat_id: c.seat_id,
        event_id: c.event_id,
        admitted_here_at: iso(c.local_at),
        canonical_at: iso(c.canonical_at),
        canonical_by: c.canonical_by,
        recorded_at: iso(c.recorded_at),
      })),
      events: this.store.catalog.events().map((e) => {
        const c = eventCounts.get(e.event_id);
        return {
          event_id: e.event_id,
          name: e.name,
          event_date: e.event_date,
          listed: e.listed === 1,
          cursor: this.store.syncState.cursor(e.event_id),
          server_seq: e.server_seq,
          seats: c?.seats ?? 0,
          sold: c?.sold ?? 0,
          admitted: c?.admitted ?? 0,
        };
      }),
      keys: { gate: this.keyRing.verifierKeyCount.gate, issuing: this.keyRing.verifierKeyCount.issuing },
      mesh: this.meshNode?.status() ?? null,
      direction: this.opts.direction ?? 'entry',
      occupancy: occupancyView(this.store.scans.occupancy()),
      warnings,
      problems: this.problems.slice(-10).map((p) => ({ at: iso(p.at), message: p.message })),
    };
  }

  private client(serverUrl: string): ApiClient {
    if (!this.api || this.api.baseUrl !== serverUrl.replace(/\/+$/, '')) {
      this.api = new ApiClient({
        baseUrl: serverUrl,
        token: () => this.store.device.get()?.device_token ?? null,
        clock: this.clock,
        connectivity: this.connectivity,
        syncKey: () => this.trust.required(),
        ...(this.dispatcher ? { dispatcher: this.dispatcher } : {}),
      });
    }
    return this.api;
  }

  private setUp(): void {
    const device = this.store.device.get()!;
    if (!this.desk) {
      this.desk = new ScanDesk({
        store: this.store,
        verifier: this.keyRing.verifier,
        hallId: () => this.store.device.get()?.hall_id ?? '',
        gate: () => {
          const d = this.store.device.get();
          return { name: d?.device_name ?? 'this gate', deviceId: d?.device_id ?? null };
        },
        clock: this.clock,
        ...(this.opts.timeZone ? { timeZone: this.opts.timeZone } : {}),
        ...(this.opts.direction ? { direction: this.opts.direction } : {}),
      });
      this.desk.on('verdict', (v) => {
        this.syncClient?.scanRecorded();
        // The fast path: peers hear of an admission or an exit at once, server or not.
        if (v.result === 'SUCCESS' || v.result === 'EXITED') this.meshNode?.admitted();
        this.emit('verdict', v);
      });
      this.desk.on('annulled', (v) => {
        // The annulment goes up like a scan: soon.
        this.syncClient?.scanRecorded();
        // Peers hear of it at once too: the seat is admissible again at every gate of the hall.
        this.meshNode?.admitted();
        this.emit('annulled', v);
      });
    }
    const serverUrl = this.serverUrl() ?? device.server_url;
    if (!serverUrl) return;
    this.syncClient = new SyncClient(
      this.client(serverUrl),
      this.store,
      this.clock,
      this.connectivity,
      this.trust,
      this.integrity,
      this.timing,
      this.opts.mesh !== undefined,
    );
    this.syncClient.on('keys', () => this.reloadKeys());
    // A manifest may have brought this gate's first mesh certificate: then it can speak to its peers.
    this.syncClient.on('certified', () => this.meshNode?.certificateChanged());
    this.syncClient.on('revoked', (note) => this.emit('revoked', note));
    this.syncClient.on('problem', (message) => this.problem(message));
  }

  private reloadKeys(): void {
    const device = this.store.device.get();
    if (!device) return;
    this.keyRing.load(this.store.keys.all(), device.box_key_pair);
    for (const p of this.keyRing.problems) this.problem(`key: ${p}`);
  }

  private problem(message: string): void {
    this.problems.push({ at: this.clock.device(), message });
    if (this.problems.length > 50) this.problems.shift();
    this.emit('problem', message);
  }
}

/** Inside = entries minus exits, never below zero (an exit scanned at a door whose entry this gate did not see). */
function occupancyView(o: ReturnType<GateStore['scans']['occupancy']>): kiosk.GateStatus['occupancy'] {
  const inside = (entries: number, exits: number) => Math.max(0, entries - exits);
  return {
    inside: inside(o.entries, o.exits),
    entries: o.entries,
    exits: o.exits,
    zones: o.zones.map((z) => ({ zone: z.zone, inside: inside(z.entries, z.exits) })),
  };
}

/** Unknown while the server's last "unknown token" is newer than the last good sync. */
function isUnknown(unknownAt: number | null, lastSyncAt: number | null): boolean {
  return unknownAt !== null && (lastSyncAt ?? 0) < unknownAt;
}
