import { PassThrough } from 'node:stream';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { encodeSyncPublicKey, enrolmentMac, signSync, type SyncKeyPair } from '@ticketgate/crypto';
import { ok, sync } from '@ticketgate/protocol';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { registerMeshKey } from '../domain/sync/device-cert.js';
import { recordSyncIntegrity } from '../domain/sync/devices.js';
import { enrolDevice } from '../domain/sync/enrolment.js';
import { openGateFeed, type FeedSink } from '../domain/sync/gate-feed.js';
import { buildHallManifest } from '../domain/sync/hall-manifest.js';
import { uploadScans } from '../domain/sync/scan-upload.js';
import { readSeatDelta, type SeatDeltaText } from '../domain/sync/seat-delta.js';
import { DomainError } from '../domain/errors.js';
import { deviceOf } from '../plugins/device-auth.js';
import { docs } from './schemas/sync.js';
import { negotiateCoding } from '../http/content-coding.js';
import { envelopeBytes, requestNonce, signReply } from '../http/signed-reply.js';

const gzipAsync = promisify(gzip);

/** SSE comment line this often, so proxies and the gate's watchdog see a live connection. */
export const HEARTBEAT_MS = 15_000;
/** Unsent stream data beyond which a gate is presumed stuck and its stream ended. */
const MAX_STREAM_BACKLOG_BYTES = 1024 * 1024;
/** Below this a gzip costs more than it saves. */
const GZIP_MIN_BYTES = 1024;

/** The gate sync protocol (docs/sync-protocol.md): device routes here, operator routes in sync-ops.ts. */
export const syncRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;
  const tags = ['Gate sync'];
  const security = [{ device: [] }];

  app.post(
    '/enrol',
    {
      schema: {
        tags,
        summary: 'Enrol a gate with a one-time code',
        description: docs.enrol.description,
        body: sync.EnrolRequest,
        response: { 200: ok(sync.EnrolResponse), ...docs.enrol.errors },
      },
    },
    async (req, reply) => {
      const nonce = requestNonce(req);
      const d = await enrolDevice(ctx, {
        codeId: req.body.code_id,
        name: req.body.name,
        boxPublicKey: req.body.box_public_key,
        appVersion: req.body.app_version,
        meshPublicKey: req.body.mesh_public_key,
      });
      const key = await ctx.syncKeys.activeKey();
      const body = envelopeBytes(sync.EnrolResponse, {
        device_id: d.deviceId,
        device_token: d.deviceToken,
        hall_id: d.hallId,
        sync_key: encodeSyncPublicKey(key),
        server_time: new Date(ctx.now()).toISOString(),
      });
      signReply(reply, key, 'enrol', nonce, body);
      reply.header(sync.ENROL_MAC_HEADER, enrolmentMac(d.bindingKey, nonce, body));
      return sendJson(reply, body);
    },
  );

  app.get(
    '/hall',
    {
      preHandler: app.authenticateDevice,
      schema: {
        tags,
        security,
        summary: "The device's hall manifest: events, sequences, sealed gate keys",
        description: docs.hall.description,
        response: { 200: ok(sync.HallManifest), ...docs.hall.errors },
      },
    },
    async (req, reply) => {
      const nonce = requestNonce(req);
      const body = envelopeBytes(sync.HallManifest, await buildHallManifest(ctx, deviceOf(req)));
      signReply(reply, await ctx.syncKeys.activeKey(), 'hall', nonce, body);
      return sendJson(reply, body);
    },
  );

  app.post(
    '/mesh-key',
    {
      preHandler: app.authenticateDevice,
      schema: {
        tags,
        security,
        summary: "Register the gate's mesh key and get its device certificate",
        description: docs.meshKey.description,
        body: sync.MeshKeyRequest,
        response: { 200: ok(sync.MeshKeyResponse), ...docs.meshKey.errors },
      },
    },
    async (req, reply) => {
      const nonce = requestNonce(req);
      const cert = await registerMeshKey(ctx, deviceOf(req), req.body.public_key);
      const body = envelopeBytes(sync.MeshKeyResponse, { device_cert: cert, server_time: new Date(ctx.now()).toISOString() });
      signReply(reply, await ctx.syncKeys.activeKey(), 'mesh-key', nonce, body);
      return sendJson(reply, body);
    },
  );

  app.get(
    '/events/:event_id/seats',
    {
      preHandler: app.authenticateDevice,
      schema: {
        tags,
        security,
        summary: 'Seat snapshot (since=0) or delta since a cursor',
        description: docs.seats.description,
        params: z.object({ event_id: z.uuid() }),
        querystring: sync.SeatDeltaQuery,
        response: { 200: ok(sync.SeatDelta), ...docs.seats.errors },
      },
    },
    async (req, reply) => {
      const nonce = requestNonce(req);
      const device = deviceOf(req);
      const delta = await readSeatDelta(ctx, device, req.params.event_id, req.query.since);
      return sendSeatDelta(req, reply, delta, {
        deviceId: device.id,
        serverTime: new Date(ctx.now()).toISOString(),
        key: await ctx.syncKeys.activeKey(),
        nonce,
      });
    },
  );

  app.post(
    '/scans',
    {
      preHandler: app.authenticateDevice,
      schema: {
        tags,
        security,
        summary: 'Upload a batch of scans',
        description: docs.scans.description,
        body: sync.ScanUploadRequest,
        response: { 200: ok(sync.ScanUploadResponse), ...docs.scans.errors },
      },
    },
    async (req, reply) => {
      const nonce = requestNonce(req);
      const device = deviceOf(req);
      const result = await uploadScans(ctx, device, req.body);
      if (req.body.sync_integrity) await recordSyncIntegrity(ctx.pool, device.id, req.body.sync_integrity, ctx.now());
      const body = envelopeBytes(sync.ScanUploadResponse, { ...result, server_time: new Date(ctx.now()).toISOString() });
      signReply(reply, await ctx.syncKeys.activeKey(), 'scans', nonce, body);
      return sendJson(reply, body);
    },
  );

  const openStreams = new Set<() => void>();
  // An open stream would keep server.close() waiting for ever.
  app.addHook('preClose', async () => {
    for (const end of [...openStreams]) end();
  });

  app.get(
    '/stream',
    {
      preHandler: app.authenticateDevice,
      schema: {
        tags,
        security,
        summary: 'Live stream (SSE) of admissions and seat changes of the hall',
        description: docs.stream.description,
        response: {
          200: z.string().describe('text/event-stream: `event: <hello|seats|admission|manifest|revoked>` + `data: <JSON>`'),
          ...docs.stream.errors,
        },
      },
    },
    async (req, reply) => {
      if (!ctx.live.listening)
        throw new DomainError('SERVICE_UNAVAILABLE', 'Live notifications are unavailable on this instance. Retry shortly.');
      const nonce = requestNonce(req);
      // One key for the whole stream: a gate that follows a rotation reopens its stream (docs/sync-protocol.md).
      const key = await ctx.syncKeys.activeKey();
      let index = 0;
      const stream = new PassThrough();
      let unsubscribe: (() => void) | undefined;
      let heartbeat: NodeJS.Timeout | undefined;
      let ended = false;
      const end = () => {
        if (ended) return;
        ended = true;
        clearInterval(heartbeat);
        unsubscribe?.();
        openStreams.delete(end);
        stream.end();
      };
      const sink: FeedSink = {
        send: (event, data) => {
          if (ended) return;
          // A gate that stopped reading would buffer here without bound; drop it, it catches up when it reconnects.
          if (stream.writableLength > MAX_STREAM_BACKLOG_BYTES) return end();
          stream.write(signedStreamFrame(key, nonce, index++, event, JSON.stringify(data)));
        },
        end,
      };
      openStreams.add(end);
      reply.raw.on('close', end);
      stream.write(`retry: 3000\n\n`);
      try {
        unsubscribe = await openGateFeed(ctx, deviceOf(req), sink);
      } catch (err) {
        end();
        throw err;
      }
      if (ended) unsubscribe();
      else heartbeat = setInterval(() => stream.write(': heartbeat\n\n'), HEARTBEAT_MS);
      reply
        .header('content-type', 'text/event-stream; charset=utf-8')
        .header('cache-control', 'no-cache, no-transform')
        .header('x-accel-buffering', 'no')
        // A stream ends only on revocation or shutdown: its socket is not worth keeping alive.
        .header('connection', 'close');
      // The payload is a stream: Fastify pipes it and never runs the serializer.
      return reply.send(stream as never);
    },
  );
};

/** One signed SSE frame (docs/sync-protocol.md): the signature and the JSON as two data lines of one message. */
export function signedStreamFrame(key: SyncKeyPair, nonce: string, index: number, event: string, json: string): string {
  const sig = signSync(key, 'stream', nonce, json, [String(index), event]);
  return `id: ${index}\nevent: ${event}\ndata: ${sig}\ndata: ${json}\n\n`;
}

function sendJson(reply: FastifyReply, body: Buffer) {
  reply.header('content-type', 'application/json; charset=utf-8');
  return reply.send(body as never);
}

/**
 * Sends the delta as prepared JSON text: the seats array arrives from
 * PostgreSQL as text and is spliced in, so a 100,000-seat snapshot is never
 * parsed, validated or re-serialised here.
 */
async function sendSeatDelta(
  req: FastifyRequest,
  reply: FastifyReply,
  d: SeatDeltaText,
  o: { deviceId: string; serverTime: string; key: SyncKeyPair; nonce: string },
) {
  const head = JSON.stringify({
    success: true,
    data: { event_id: d.eventId, device_id: o.deviceId, since: d.since, cursor: d.cursor, full: d.full, server_time: o.serverTime },
  });
  let body = Buffer.from(`${head.slice(0, -2)},"seats":${d.seatsJson}}}`);
  // Signed before compression: the gate verifies the bytes fetch hands it, decoded.
  signReply(reply, o.key, 'seats', o.nonce, body);
  reply.header('content-type', 'application/json; charset=utf-8').header('vary', 'accept-encoding');
  if (body.length >= GZIP_MIN_BYTES && negotiateCoding(req.headers['accept-encoding'], ['gzip']) === 'gzip') {
    // Level 2: within a few per cent of the default's size on seat JSON, in two thirds of its time.
    body = await gzipAsync(body, { level: 2 });
    reply.header('content-encoding', 'gzip');
  }
  return reply.send(body as never);
}
