// process: engine
import type { Db } from './open-database.js';

export interface SealedGateKey {
  kid: string;
  eventId: string;
  sealed: string;
}

export interface KeySet {
  gate: SealedGateKey[];
  /** Encoded public issuing keys (encodeIssuingPublicKey). */
  issuing: string[];
}

/** The keys of the last manifest, as received: gate keys stay sealed at rest. */
export class KeyRepo {
  private readonly allStmt;
  private readonly clearStmt;
  private readonly insertStmt;
  private readonly replaceTx;

  constructor(db: Db) {
    this.allStmt = db.prepare<[], { kind: 'gate' | 'issuing'; kid: string; event_id: string | null; material: string }>(
      'SELECT kind, kid, event_id, material FROM keys ORDER BY kind, kid',
    );
    this.clearStmt = db.prepare('DELETE FROM keys');
    this.insertStmt = db.prepare('INSERT OR IGNORE INTO keys (kind, kid, event_id, material) VALUES (?, ?, ?, ?)');
    // A manifest's key list is the whole truth: keys it drops are retired.
    this.replaceTx = db.transaction((set: KeySet, issuingKid: (encoded: string) => string) => {
      this.clearStmt.run();
      for (const k of set.gate) this.insertStmt.run('gate', k.kid, k.eventId, k.sealed);
      for (const k of set.issuing) this.insertStmt.run('issuing', issuingKid(k), null, k);
    });
  }

  all(): KeySet {
    const set: KeySet = { gate: [], issuing: [] };
    for (const r of this.allStmt.all()) {
      if (r.kind === 'gate') set.gate.push({ kid: r.kid, eventId: r.event_id ?? '', sealed: r.material });
      else set.issuing.push(r.material);
    }
    return set;
  }

  replace(set: KeySet, issuingKid: (encoded: string) => string): void {
    this.replaceTx(set, issuingKid);
  }
}
