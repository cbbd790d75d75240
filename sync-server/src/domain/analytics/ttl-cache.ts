/**
 * A value loaded at most once per `ttlMs` (per server instance) by the clock
 * given, so expensive aggregates are not recomputed on every request or scrape.
 * Concurrent callers share one load; a failed load is not cached.
 */
export function ttlCache<T>(ttlMs: number, now: () => number, load: () => Promise<T>): () => Promise<T> {
  let entry: { at: number; value: Promise<T> } | undefined;
  return () => {
    const t = now();
    if (entry && t - entry.at < ttlMs && t >= entry.at) return entry.value;
    const value = load();
    const mine = { at: t, value };
    entry = mine;
    value.catch(() => {
      if (entry === mine) entry = undefined;
    });
    return value;
  };
}
