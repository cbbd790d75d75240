import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { Pool } from '../db/pool.js';
import { readSeatMapSnapshot, seatMapUnchanged, type SeatMapSnapshot } from '../domain/catalog/seat-map-snapshot.js';
import type { ContentCoding } from './content-coding.js';

const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);

export type SeatMapFormat = 'full' | 'compact';

/** One seat map answer, serialised and compressed once for every request that gets it. */
export interface SeatMapRepresentation {
  /** Hash of the uncompressed body: the same content gets the same tag on every instance. */
  tag: string;
  cursor: number;
  bodies: Record<ContentCoding, Buffer>;
}

interface Entry {
  snapshot: Pick<SeatMapSnapshot, 'cursor' | 'stamp'>;
  builtAtMs: number;
  /** The first pending hold runs out here: the map changes with no write. */
  validUntilMs: number;
  representation: SeatMapRepresentation;
}

interface Slot {
  entry?: Entry;
  running?: Promise<Entry>;
  queued?: Promise<Entry>;
}

/**
 * The seat maps of this instance, per event and format, keyed by the change
 * cursor they were read at. A request costs one indexed query (is anything
 * changed above the entry's cursor? seat-map-snapshot.ts) and no rendering or
 * compression unless something did change. Concurrent requests for one map
 * share that query, but each is answered from a check that started after it
 * arrived, so a fan always sees their own reservation. Bounded: the least
 * recently asked map goes first.
 */
export class SeatMapCache {
  private readonly slots = new Map<string, Slot>();

  constructor(
    private readonly pool: Pool,
    private readonly maxEntries = 64,
  ) {}

  /**
   * The current map at `now()` (the app's clock: holds run out by it); `render` turns a snapshot into the JSON
   * text of the answer (the route's presenter). EVENT_NOT_FOUND as thrown by the read.
   */
  async get(
    eventId: string,
    format: SeatMapFormat,
    render: (s: SeatMapSnapshot) => string,
    now: () => number,
  ): Promise<SeatMapRepresentation> {
    const key = `${eventId}:${format}`;
    const slot = this.slots.get(key) ?? {};
    this.slots.delete(key);
    this.slots.set(key, slot);
    if (this.slots.size > this.maxEntries) this.slots.delete(this.slots.keys().next().value!);
    try {
      return (await this.refresh(slot, eventId, render, now)).representation;
    } catch (err) {
      if (!slot.entry) this.slots.delete(key);
      throw err;
    }
  }

  private refresh(slot: Slot, eventId: string, render: (s: SeatMapSnapshot) => string, now: () => number): Promise<Entry> {
    if (!slot.running) {
      slot.running = this.check(slot, eventId, render, now()).finally(() => (slot.running = undefined));
      return slot.running;
    }
    // The check in flight may have read before this request's own writes committed: wait for the next one.
    slot.queued ??= slot.running
      .catch(() => undefined)
      .then(() => {
        slot.queued = undefined;
        return this.refresh(slot, eventId, render, now);
      });
    return slot.queued;
  }

  private async check(slot: Slot, eventId: string, render: (s: SeatMapSnapshot) => string, now: number): Promise<Entry> {
    const e = slot.entry;
    if (e && now >= e.builtAtMs && now < e.validUntilMs && (await seatMapUnchanged(this.pool, eventId, e.snapshot))) return e;
    const snapshot = await readSeatMapSnapshot(this.pool, eventId, now);
    const identity = Buffer.from(render(snapshot));
    const [gz, br] = await Promise.all([
      gzipAsync(identity),
      // Quality 5: most of brotli's gain over gzip at a small fraction of the default's (11) time.
      brotliAsync(identity, { params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_SIZE_HINT]: identity.length } }),
    ]);
    slot.entry = {
      snapshot: { cursor: snapshot.cursor, stamp: snapshot.stamp },
      builtAtMs: now,
      validUntilMs: snapshot.nextExpiryMs ?? Infinity,
      representation: {
        tag: createHash('sha256').update(identity).digest('base64url').slice(0, 27),
        cursor: snapshot.cursor,
        bodies: { identity, gzip: gz, br },
      },
    };
    return slot.entry;
  }
}

/** The ETag of one coding of a representation: strong, and distinct per content coding (they are different bytes). */
export function entityTag(tag: string, coding: ContentCoding): string {
  return `"${tag}${coding === 'identity' ? '' : `-${coding === 'gzip' ? 'gz' : 'br'}`}"`;
}

/**
 * If-None-Match against a representation (RFC 9110 §13.1.2, weak comparison):
 * true when the header lists any coding of this content, or `*`.
 */
export function noneMatchHits(header: string | undefined, tag: string): boolean {
  if (!header) return false;
  return header.split(',').some((raw) => {
    const t = raw.trim().replace(/^W\//, '');
    return t === '*' || t.replace(/^"|"$/g, '').replace(/-(gz|br)$/, '') === tag;
  });
}
