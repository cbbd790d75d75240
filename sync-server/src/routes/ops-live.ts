import { ok, opsLive } from '@ticketgate/protocol';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireEventInScope, venuesOf } from '../domain/access/venue-scope.js';
import { hasRole } from '../domain/auth/roles.js';
import { issueStreamTicket, redeemStreamTicket } from '../domain/auth/stream-tickets.js';
import { DomainError } from '../domain/errors.js';
import type { DoorSink } from '../domain/live/door-feeds.js';
import { openSseStream } from '../http/sse-stream.js';
import { docs } from './schemas/ops-live.js';

/** The operator console's live door view: a stream ticket for the caller's session, and the stream it opens. */
export const opsLiveRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;
  const tags = ['Operations'];
  const openStreams = new Set<() => void>();
  // An open stream would keep server.close() waiting for ever: say why, then end any still opening.
  app.addHook('preClose', async () => {
    ctx.doorFeeds.close();
    for (const end of [...openStreams]) end();
  });

  app.post(
    '/ops/live/tickets',
    {
      preHandler: app.requireRole('operator'),
      schema: {
        tags,
        security: [{ bearer: [] }],
        summary: 'A one-minute ticket to open the live door stream',
        description: docs.ticket.description,
        response: { 201: ok(opsLive.LiveTicket), ...docs.ticket.errors },
      },
    },
    async (req, reply) => {
      const u = req.user!;
      const t = await issueStreamTicket(ctx.signer, { userId: u.id, role: u.role, sessionId: u.sessionId }, ctx.now());
      return reply.status(201).send({ success: true, data: { ticket: t.ticket, expires_at: t.expiresAt.toISOString() } });
    },
  );

  app.get(
    '/ops/live',
    {
      schema: {
        tags,
        summary: 'Live door figures of an event (SSE)',
        description: docs.stream.description,
        querystring: opsLive.LiveQuery,
        response: {
          200: z
            .string()
            .describe('text/event-stream: `event: <snapshot|closed>` + `data: <JSON>` (opsLive.LiveSnapshot, opsLive.LiveClosed)'),
          ...docs.stream.errors,
        },
      },
    },
    async (req, reply) => {
      const holder = await redeemStreamTicket(ctx.signer, ctx.sessions, req.query.ticket, ctx.now());
      if (!hasRole(holder.role, 'operator')) throw new DomainError('FORBIDDEN', 'Requires role operator or above.');
      await requireEventInScope(ctx.pool, await venuesOf(ctx.pool, { id: holder.userId, role: holder.role }), req.query.event_id);
      if (!ctx.live.listening)
        throw new DomainError('SERVICE_UNAVAILABLE', 'Live notifications are unavailable on this instance. Retry shortly.');

      const sse = openSseStream(reply);
      const sink: DoorSink = {
        sessionId: holder.sessionId,
        snapshot: (s) => sse.send('snapshot', s satisfies opsLive.LiveSnapshot),
        closed: (reason) => {
          sse.send('closed', { reason } satisfies opsLive.LiveClosed);
          sse.end();
        },
      };
      openStreams.add(sse.end);
      sse.onEnd(() => openStreams.delete(sse.end));
      try {
        const stop = await ctx.doorFeeds.open(req.query.event_id, sink);
        sse.onEnd(stop);
      } catch (err) {
        sse.end();
        throw err;
      }
      return sse.reply(reply);
    },
  );
};
