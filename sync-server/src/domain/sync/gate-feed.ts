import type { sync } from '@ticketgate/protocol';
import type { z } from 'zod';
import type { AppContext } from '../../context.js';
import type { LiveSubscriber } from '../live/live-bus.js';
import type { GateNotice } from '../live/notices.js';
import { admittedBy } from './admissions.js';
import type { DeviceIdentity } from './device-identity.js';
import { isDeviceActive } from './devices.js';
import { currentHallEvents } from './hall-events.js';

/** The messages of the live stream, by SSE event name (sync.ts). */
export interface FeedMessages {
  hello: z.infer<typeof sync.HelloMessage>;
  admission: z.infer<typeof sync.AdmissionMessage>;
  seats: z.infer<typeof sync.SeatsChangedMessage>;
  revoked: z.infer<typeof sync.RevokedMessage>;
}

export interface FeedSink {
  send<K extends keyof FeedMessages>(event: K, data: FeedMessages[K]): void;
  /** Ends the stream (revoked, or the server is stopping). */
  end(): void;
}

/**
 * One gate's live feed: admissions and seat changes of its hall, and its own
 * revocation. It subscribes before saying hello, then announces every current
 * event's seq, so a gate that reconnects learns at once what it missed (it
 * pulls a delta when a seq exceeds its cursor). After the bus lost its LISTEN
 * connection the same catch-up runs again, since notices in the gap are gone.
 * Returns the unsubscribe function.
 */
export async function openGateFeed(
  ctx: Pick<AppContext, 'pool' | 'live' | 'log' | 'now'>,
  device: DeviceIdentity,
  sink: FeedSink,
): Promise<() => void> {
  const announceSeqs = async () => {
    for (const e of await currentHallEvents(ctx.pool, device.hallId, ctx.now())) sink.send('seats', { event_id: e.id, seq: e.seq });
  };
  const revoked = () => {
    sink.send('revoked', { device_id: device.id });
    sink.end();
  };
  const subscriber: LiveSubscriber = {
    hallId: device.hallId,
    deviceId: device.id,
    deliver: (n: GateNotice) => {
      if (n.k === 'revoked') revoked();
      else if (n.k === 'seats') sink.send('seats', { event_id: n.event_id, seq: n.seq });
      else {
        sink.send('admission', {
          event_id: n.event_id,
          seat_id: n.seat_id,
          scanned_at: new Date(n.scanned_at).toISOString(),
          device_id: n.device_id,
          admitted_by: admittedBy(n.device_name),
        });
      }
    },
    resync: () => {
      void (async () => {
        if (!(await isDeviceActive(ctx.pool, device.id))) return revoked();
        await announceSeqs();
      })().catch((err) => {
        // The gate reconnects and resyncs on its own; the operator should still learn why its stream ended.
        ctx.log.warn({ err, deviceId: device.id }, 'gate feed: resync failed, closing the stream');
        sink.end();
      });
    },
    close: () => sink.end(),
  };
  const unsubscribe = ctx.live.subscribe(subscriber);
  try {
    sink.send('hello', { device_id: device.id, server_time: new Date(ctx.now()).toISOString() });
    // A revocation committed between authentication and subscribing would otherwise go unheard.
    if (!(await isDeviceActive(ctx.pool, device.id))) revoked();
    else await announceSeqs();
  } catch (err) {
    unsubscribe();
    throw err;
  }
  return unsubscribe;
}
