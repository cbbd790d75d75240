// process: engine
// The gate engine: plain Node (no Electron), used by the headless CLI, the
// Electron main process and tests.
export { GateEngine, NotEnrolledError, type GateEngineOptions, type GateEngineEvents } from './gate-engine.js';
export { createGateHttpServer, injectToken, listenGateHttp, parseAddress, type GateHttpOptions } from './http-api.js';
export { hostAllowed, isLoopbackHost, originAllowed, refuseApiRequest, tokenMatches, type LocalApiPolicy } from './local-api-guard.js';
export { newLocalApiToken, readLocalApiToken, writeLocalApiToken } from './local-api-token.js';
export { verdictView, seatView } from './views.js';
export { wireTurnstile, type PassageConfirmation, type PassageSource, type Timers, type TurnstileOutput } from './turnstile.js';
export { GateStore } from './store/gate-store.js';
export { openGateDatabase, DATABASE_FILE, type Db } from './store/open-database.js';
export { applySeatBatch, type SeatBatch } from './store/apply-seat-delta.js';
export type { SeatRow, EventRow, ServerSeat } from './store/catalog-repo.js';
export type { ScanRow, ConflictRow } from './store/scan-repo.js';
export { decide, type Decision, type Snapshot } from './verify/decide.js';
export { ScanDesk, type ScanVerdict } from './verify/scan-desk.js';
export { KeyRing, openKeySet } from './verify/key-ring.js';
export { ApiClient, ServerError, NetworkError } from './sync/api-client.js';
export { GateClock, DEFAULT_CLOCK_BOUNDS, type ClockBounds } from './sync/clock.js';
export { Connectivity, type ConnectivityState } from './sync/connectivity.js';
export { Backoff } from './sync/backoff.js';
export { SseParser, type SseMessage } from './sync/sse.js';
export { SyncClient, DEFAULT_TIMING, type SyncTiming } from './sync/sync-client.js';
export { Puller } from './sync/puller.js';
export { Pusher, toUploadedScan } from './sync/pusher.js';
export { seatFromTuple } from './sync/seat-tuples.js';
export { IntegrityError, IntegrityMonitor, INTEGRITY_ALERT_MS, type IntegritySnapshot } from './sync/integrity.js';
export { SyncTrust } from './sync/trust.js';
export { checkServerUrl, InsecureServerUrlError, type Transport } from './sync/transport.js';
export { SupervisorDesk, PIN_ATTEMPTS, PIN_LOCK_MS, type PinCheck, type ScannerState, type SupervisorOptions } from './supervisor.js';
