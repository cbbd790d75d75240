import type { Pool } from '../../db/pool.js';
import type { LiveBus } from '../live/live-bus.js';
import type { Role } from './roles.js';

/** What a request may rely on about its caller: read from the database, not from the token. */
export interface ActiveSession {
  sessionId: string;
  userId: string;
  role: Role;
}

export interface SessionCheck {
  /** The open session with its user's current role, or null when it ended, never existed, or the user is disabled. */
  active(sessionId: string): Promise<ActiveSession | null>;
  /** Drops this instance's copy at once (the instance that ended the session need not wait for its NOTIFY). */
  forget(sessionId: string): void;
}

export interface SessionCheckOptions {
  /** Entries are re-read at least this often even without a notice (a backstop, not the mechanism). */
  ttlMs?: number;
  /** Entries kept at most; the oldest go first. */
  maxEntries?: number;
  now?: () => number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The per-request session check of one instance, with a small cache. Ending a
 * session (or changing its user's role, or disabling the user) fires a NOTIFY
 * from the database trigger; every instance's LiveBus delivers it here and the
 * entry is dropped, so the next request re-reads the row. While the LISTEN
 * connection is down no notice can arrive, so nothing is cached: every request
 * reads the database until the bus is listening again.
 */
export function createSessionCheck(pool: Pool, live: LiveBus, opts: SessionCheckOptions = {}): SessionCheck {
  const ttlMs = opts.ttlMs ?? 10_000;
  const maxEntries = opts.maxEntries ?? 10_000;
  const now = opts.now ?? Date.now;
  const cache = new Map<string, { value: ActiveSession | null; at: number }>();
  // Bumped on every notice: a read that started before a notice must not cache what it read.
  let generation = 0;

  live.observe({
    notice(n) {
      if (n.k !== 'session') return;
      generation++;
      cache.delete(n.session_id);
    },
    resync() {
      generation++;
      cache.clear();
    },
  });

  async function read(sessionId: string): Promise<ActiveSession | null> {
    if (!UUID.test(sessionId)) return null;
    const { rows } = await pool.query<{ user_id: string; role: Role }>(
      `SELECT s.user_id, u.role FROM sessions s JOIN users u ON u.id = s.user_id
        WHERE s.id = $1 AND s.ended_at IS NULL AND u.disabled_at IS NULL`,
      [sessionId],
    );
    const r = rows[0];
    return r ? { sessionId, userId: r.user_id, role: r.role } : null;
  }

  return {
    forget(sessionId) {
      generation++;
      cache.delete(sessionId);
    },
    async active(sessionId) {
      const hit = cache.get(sessionId);
      if (hit && now() - hit.at < ttlMs && live.listening) return hit.value;
      const startedAt = generation;
      const value = await read(sessionId);
      if (live.listening && generation === startedAt) {
        cache.delete(sessionId);
        cache.set(sessionId, { value, at: now() });
        if (cache.size > maxEntries) cache.delete(cache.keys().next().value!);
      }
      return value;
    },
  };
}
