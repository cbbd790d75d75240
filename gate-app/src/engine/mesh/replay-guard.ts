// process: engine

/**
 * Message ids seen within the acceptance window (docs/mesh.md): a message is
 * accepted only if its time is within `windowMs` of this gate's clock and its
 * id was not seen before. Ids are forgotten once their message would be refused
 * as too old anyway, so the set holds one window's traffic, at most `capacity`
 * ids (the oldest go first when a flood fills it).
 */
export class ReplayGuard {
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly windowMs: number,
    private readonly capacity = 65_536,
  ) {}

  /** Null when fresh (and now remembered), else why not. */
  admit(id: string, sentAt: number, now: number): string | null {
    if (Math.abs(now - sentAt) > this.windowMs)
      return `sent ${Math.round((now - sentAt) / 1000)} s from this gate's clock (window ${this.windowMs / 1000} s)`;
    this.prune(now);
    if (this.seen.has(id)) return `message ${id} already received (replay)`;
    if (this.seen.size >= this.capacity) this.seen.delete(this.seen.keys().next().value!);
    this.seen.set(id, sentAt + this.windowMs);
    return null;
  }

  get size(): number {
    return this.seen.size;
  }

  private prune(now: number): void {
    // Insertion order is close to time order; stop at the first entry still live.
    for (const [id, forgetAt] of this.seen) {
      if (forgetAt >= now) break;
      this.seen.delete(id);
    }
  }
}
