import { PassThrough } from 'node:stream';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { encodeSyncPublicKey, enrolmentMac, signSync, type SyncKeyPair } from '@ticketgate/crypto';
import { ok, sync } from '@ticketgate/protocol';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { recordSyncIntegrity } from '../domain/sync/devices.js';
import { enrolDevice } from '../domain/sync/enrolment.js';
import { openGateFeed, type FeedSink } from '../domain/sync/gate-feed.js';
import { buildHallManifest } from '../domain/sync/hall-manifest.js';
import { uploadScans } from '../domain/sync/scan-upload.js';
import { readSeatDelta, type SeatDeltaText } from '../domain/sync/seat-delta.js';
import { AppError } from '../http/app-error.js';
import { documentErrors, type ErrorRows } from '../http/error-docs.js';
import { envelopeBytes, requestNonce, signReply } from '../http/signed-reply.js';
import { deviceAuth, deviceOf } from '../plugins/device-auth.js';
import { syncOpsRoutes } from './sync-ops.js';

const gzipAsync = promisify(gzip);

/** SSE comment line this often, so proxies and the gate's watchdog see a live connection. */
export const HEARTBEAT_MS = 15_000;
/** Unsent stream data beyond which a gate is presumed stuck and its stream ended. */
const MAX_STREAM_BACKLOG_BYTES = 1024 * 1024;
/** Below this a gzip costs more than it saves. */
const GZIP_MIN_BYTES = 1024;

const DEVICE_ERRORS: ErrorRows = [
  ['UNAUTHORIZED', 'Missing or unknown device token (a user token is not a device token)'],
  ['DEVICE_REVOKED', 'This device was revoked by an operator: stop syncing and re-enrol'],
];

const SIGNED =
  ' The success reply is signed: `x-tg-signature` is `<kid>.<Ed25519 signature>` over the request\'s `x-tg-nonce` and the body ' +
  'bytes (docs/sync-protocol.md, "Signed sync").';

const docs = {
  enrol: documentErrors(
    'A gate exchanges a one-time enrolment code (from an operator, POST /api/sync/enrolments) for its own credential: a device id ' +
      'and a random device token, shown only in this response (the server keeps its hash). The box public key (X25519, base64url) ' +
      'is what the gate keys in manifests are sealed to. A code works once and only until it expires. The gate sends the code\'s id ' +
      '(HKDF of the code), never the code; the reply carries the sync public key to pin, and `x-tg-enrol-mac`, an HMAC over the ' +
      'nonce and the body with a key derived from the code, so only someone holding the code can make a reply the gate accepts.' +
      SIGNED,
    [
      ['VALIDATION_ERROR', 'Body failed validation, or box_public_key is not a 32-byte base64url key'],
      ['ENROLMENT_INVALID', 'The code is unknown, already used or expired'],
    ],
  ),
  hall: documentErrors(
    "The device's hall with its current and upcoming events (date at most a day ago): each with its change sequence and its gate " +
      "keys sealed to this device's box key (openGateKey with the device key pair), plus the public issuing keys still valid and the " +
      'sync key chain.' + SIGNED,
    DEVICE_ERRORS,
  ),
  seats: documentErrors(
    'Seats of one event of the device\'s hall as SeatTuples: since=0 is the full snapshot, since=N the seats changed after N. ' +
      '`cursor` is the sequence to ask from next time; it is consistent (one repeatable-read snapshot), so a change committed ' +
      'during the pull comes with the next delta. A cursor ahead of the server gets a full snapshot (full=true). Gzip-encoded ' +
      'when the request accepts it.' + SIGNED,
    [
      ...DEVICE_ERRORS,
      ['INVALID_UUID', 'event_id is not a UUID'],
      ['VALIDATION_ERROR', 'since is not a non-negative integer'],
      ['EVENT_NOT_FOUND', 'No such event'],
      ['FORBIDDEN', "The event is in another hall than the device's"],
    ],
  ),
  scans: documentErrors(
    'A batch of scans (at most 1000), stored in one transaction, idempotent on (device, client_scan_id): re-sending is safe and ' +
      'answers the same. The first admission of a seat (by scan time, ties by device id) is canonical; later ones are conflicts, ' +
      "and this gate's conflicts in the batch (re-sent ones included) are returned with the canonical admission. An admission " +
      'of a SOLD seat checks it in. `rejected` scans will never be stored: do not resend them. backlog and clock_offset_ms are ' +
      'recorded on the device for operators, and so is sync_integrity (an empty batch may carry it alone).' + SIGNED,
    [...DEVICE_ERRORS, ['VALIDATION_ERROR', 'Body failed validation (more than 1000 scans, bad ids or results)']],
  ),
  stream: documentErrors(
    'Server-sent events (text/event-stream) for this gate: `hello` first, then one `seats` message per current event with its ' +
      'seq, then live `admission` (a canonical admission anywhere in the hall) and `seats` (seats of an event changed: pull a ' +
      'delta past your cursor) messages, and `revoked` (then the stream closes). A comment line every 15 s keeps it alive. ' +
      'Every server instance delivers changes made through any instance (PostgreSQL LISTEN/NOTIFY). Every message is signed: ' +
      '`id: <index>` then two data lines, the signature over the stream request\'s nonce, the index, the event name and the JSON, ' +
      'and the JSON itself.',
    [...DEVICE_ERRORS, ['SERVICE_UNAVAILABLE', 'This instance has lost its notification connection: reconnect (maybe elsewhere) shortly']],
  ),
};

/** The gate sync protocol (docs/sync-protocol.md): device routes here, operator routes in sync-ops.ts. */
export const syncRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;
  const tags = ['Gate sync'];
  const security = [{ device: [] }];
  await app.register(deviceAuth);
  await app.register(syncOpsRoutes);

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
        response: { 200: z.string().describe('text/event-stream: `event: <hello|seats|admission|revoked>` + `data: <JSON>`'), ...docs.stream.errors },
      },
    },
    async (req, reply) => {
      if (!ctx.live.listening) throw new AppError('SERVICE_UNAVAILABLE', 'Live notifications are unavailable on this instance. Retry shortly.');
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
  if (body.length >= GZIP_MIN_BYTES && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
    // Level 2: within a few per cent of the default's size on seat JSON, in two thirds of its time.
    body = await gzipAsync(body, { level: 2 });
    reply.header('content-encoding', 'gzip');
  }
  return reply.send(body as never);
}
