export * from './error-codes.js';
export * from './envelope.js';
export * from './verdicts.js';
export * as sync from './sync.js';
export * as admission from './admission/index.js';
export * as kiosk from './kiosk.js';
export * as opsLive from './ops-live.js';
