import websocket from '@fastify/websocket';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsync } from 'fastify';
import type { WebSocket } from 'ws';
import { ErrorEnvelope } from '@ticketgate/protocol';
import { z } from 'zod';
import { mayReadConversation } from '../domain/analytics/chat-access.js';
import { sendMessage } from '../domain/analytics/chat-messages.js';
import type { ChatEvent } from '../domain/chat/chat-hub.js';
import { MessageBudget, checkLiveChatJoin } from '../domain/chat/live-access.js';
import { DomainError } from '../domain/errors.js';
import { chatSender, isSupport } from '../policy/access.js';
import { venueFilter } from '../policy/venues.js';
import { venuesOf } from '../domain/access/venue-scope.js';
import { escalationInVenues } from '../domain/analytics/chat-escalations.js';

/** Subprotocol of the chat socket; a browser also offers `bearer.<access token>` (browsers cannot set headers on WebSockets). */
export const CHAT_PROTOCOL = 'ticketgate.chat';
const BEARER_PROTOCOL = 'bearer.';
/** A socket this far behind on sends is closed rather than buffered without end. */
const MAX_BUFFERED_BYTES = 1024 * 1024;
const RATE_WINDOW_MS = 10_000;
const CLOSE_POLICY = 1008;
const CLOSE_TRY_AGAIN_LATER = 1013;

const Params = z.object({ conversation_id: z.string().regex(/^[\w.:-]{1,100}$/), user_id: z.string().min(1).max(128) });
const Incoming = z.object({
  content: z.string().trim().min(1).max(4000),
  sender_type: z.enum(['user', 'agent']).default('user'),
  metadata: z.record(z.string(), z.unknown()).default({}),
});

/** The access token of a handshake: `Authorization: Bearer`, or the `bearer.<token>` subprotocol. */
function handshakeToken(req: FastifyRequest): void {
  if (req.headers.authorization) return;
  const offered = String(req.headers['sec-websocket-protocol'] ?? '')
    .split(',')
    .map((p) => p.trim());
  const token = offered.find((p) => p.startsWith(BEARER_PROTOCOL))?.slice(BEARER_PROTOCOL.length);
  if (token) req.headers.authorization = `Bearer ${token}`;
}

function send(socket: WebSocket, payload: unknown): void {
  if (socket.readyState !== socket.OPEN) return;
  // A client that does not read must not make this instance hold its backlog: it is disconnected.
  if (socket.bufferedAmount > MAX_BUFFERED_BYTES) {
    socket.close(CLOSE_TRY_AGAIN_LATER, 'too slow');
    return;
  }
  socket.send(JSON.stringify(payload));
}

const frame = (e: ChatEvent) => (e.type === 'message' ? { type: 'message', ...e.message } : { type: 'escalation', ...e.escalation });

/**
 * Live chat over WebSocket (docs/analytics.md): authenticated at the
 * handshake, the path's user must be the caller, participants only. Messages
 * are validated, persisted like HTTP ones, and reach every participant on every
 * instance through the chat hub (LISTEN/NOTIFY); support staff on
 * /ws/support receive every escalation.
 */
export const chatSocketRoutes: FastifyPluginAsync = async (app) => {
  const { ctx } = app;
  await app.register(websocket, {
    options: {
      maxPayload: ctx.config.CHAT_WS_MAX_BYTES,
      handleProtocols: (protocols: Set<string>) => (protocols.has(CHAT_PROTOCOL) ? CHAT_PROTOCOL : false),
    },
  });
  app.addHook('onClose', () => ctx.chat.stop());

  /**
   * Subscribes a socket to the hub (a conversation, or the support feed) until it closes; a hub that cannot
   * listen closes the socket. Resolves once subscribed, so frames sent before that wait for it.
   */
  const listen = (
    socket: WebSocket,
    req: FastifyRequest,
    conversationId: string | { support: true },
    admit?: (e: ChatEvent) => Promise<boolean>,
  ): Promise<() => void> => {
    // With a filter, frames pass through one chain per socket so they keep the hub's order.
    let chain = Promise.resolve();
    const deliver = admit
      ? (e: ChatEvent) => {
          chain = chain
            .then(async () => {
              if (await admit(e)) send(socket, frame(e));
            })
            .catch((err: unknown) => req.log.error({ err }, 'chat socket: escalation not delivered'));
        }
      : (e: ChatEvent) => send(socket, frame(e));
    const ready = ctx.chat.subscribe({ conversationId, deliver });
    socket.on(
      'close',
      () =>
        void ready.then(
          (unsubscribe) => unsubscribe(),
          () => {},
        ),
    );
    ready.catch((err) => {
      req.log.error({ err }, 'chat socket: live chat unavailable');
      socket.close(CLOSE_TRY_AGAIN_LATER, 'chat unavailable');
    });
    return ready;
  };

  // The HTTP side of the socket routes: documented in OpenAPI, and a clear answer to a GET without the upgrade.
  const notUpgraded = async (_req: FastifyRequest, reply: FastifyReply) =>
    reply
      .status(426)
      .header('upgrade', 'websocket')
      .send({ success: false, error_code: 'VALIDATION_ERROR', message: 'This endpoint is a WebSocket: connect with an upgrade.' });

  const authenticate = async (req: FastifyRequest, reply: FastifyReply) => {
    handshakeToken(req);
    await app.authenticate.call(app, req, reply);
  };

  app.route({
    method: 'GET',
    url: '/ws/chat/:conversation_id/:user_id',
    handler: notUpgraded,
    schema: {
      tags: ['Chat (Veritix)'],
      security: [{ bearer: [] }],
      summary: 'Live chat (WebSocket upgrade)',
      description:
        'WebSocket. Authenticate the handshake with `Authorization: Bearer <access token>`, or, from a browser (which cannot set ' +
        `headers), offer the subprotocols \`${CHAT_PROTOCOL}\` and \`bearer.<access token>\`; the server selects \`${CHAT_PROTOCOL}\`. ` +
        '`user_id` must be the caller; a conversation with messages admits its participants and staff only (401/403 refuse the ' +
        'upgrade). Send `{"content", "sender_type"?, "metadata"?}`; every participant on every instance receives ' +
        '`{"type":"message", id, conversation_id, sender_id, sender_type, content, timestamp, metadata}` (HTTP messages too) and ' +
        '`{"type":"escalation", ...}`; you get `{"type":"ack", message_id}` or `{"type":"error", error_code, message}`. Frames over ' +
        'CHAT_WS_MAX_BYTES close the socket (1009); more than CHAT_WS_MESSAGES_PER_10S are refused, repeatedly → close 1008; a client ' +
        'more than 1 MiB behind is closed (1013). A plain GET (no upgrade) answers 426.',
      response: { 426: ErrorEnvelope },
    },
    preValidation: async (req, reply) => {
      await authenticate(req, reply);
      const params = Params.safeParse(req.params);
      if (!params.success) throw new DomainError('VALIDATION_ERROR', 'conversation_id: 1-100 letters, digits, _ . : -');
      await checkLiveChatJoin(ctx.pool, params.data.conversation_id, req.user!, params.data.user_id);
    },
    wsHandler: (socket: WebSocket, req: FastifyRequest) => {
      const { conversation_id: conversationId } = req.params as z.infer<typeof Params>;
      const user = req.user!;
      const budget = new MessageBudget(ctx.config.CHAT_WS_MESSAGES_PER_10S, RATE_WINDOW_MS, () => Date.now());
      let strikes = 0;
      // Frames that arrive while the subscription is being set up are handled after it.
      const ready = listen(socket, req, conversationId);
      // One frame at a time: a socket's messages are stored in the order it sent them.
      let queue: Promise<unknown> = ready;
      socket.on('message', (data, isBinary) => {
        queue = queue.then(
          async () => {
            if (!budget.take()) {
              send(socket, { type: 'error', error_code: 'RATE_LIMITED', message: 'Too many messages: slow down.' });
              if (++strikes >= 3) socket.close(CLOSE_POLICY, 'rate limit');
              return;
            }
            let body: unknown;
            try {
              body = isBinary ? undefined : JSON.parse(data.toString());
            } catch {
              body = undefined;
            }
            const parsed = Incoming.safeParse(body);
            if (!parsed.success) {
              send(socket, {
                type: 'error',
                error_code: 'VALIDATION_ERROR',
                message: 'Send JSON {"content": 1-4000 characters, "sender_type"?, "metadata"?}.',
              });
              return;
            }
            try {
              chatSender(user, { senderId: undefined, senderType: parsed.data.sender_type });
              const id = await sendMessage(
                ctx.pool,
                {
                  conversationId,
                  senderId: user.id,
                  senderType: parsed.data.sender_type,
                  content: parsed.data.content,
                  metadata: parsed.data.metadata,
                  at: new Date(ctx.now()),
                },
                { mayRead: await mayReadConversation(ctx.pool, conversationId, user) },
              );
              send(socket, { type: 'ack', message_id: id });
            } catch (err) {
              const e = err instanceof DomainError ? err : new DomainError('INTERNAL_ERROR');
              if (!(err instanceof DomainError)) req.log.error({ err }, 'chat socket: message not stored');
              send(socket, { type: 'error', error_code: e.code, message: e.message });
            }
          },
          () => socket.close(CLOSE_TRY_AGAIN_LATER, 'chat unavailable'),
        );
      });
    },
  });

  app.route({
    method: 'GET',
    url: '/ws/support',
    handler: notUpgraded,
    schema: {
      tags: ['Chat (Veritix)'],
      security: [{ bearer: [] }],
      summary: 'Escalations for support staff (WebSocket upgrade)',
      description:
        'WebSocket for staff and above, authenticated like the chat socket: every new escalation of a conversation escalated to ' +
        'one of the caller\'s venues (admins: every escalation), as `{"type":"escalation", ...}`. The venues are those assigned ' +
        'when the socket opened. A plain GET (no upgrade) answers 426.',
      response: { 426: ErrorEnvelope },
    },
    preValidation: async (req, reply) => {
      await authenticate(req, reply);
      if (!isSupport(req.user!)) throw new DomainError('FORBIDDEN', 'Support staff only.');
    },
    wsHandler: (socket: WebSocket, req: FastifyRequest) => {
      // Staff and operators hear only their venues' escalations (the rule that lets them read the conversation).
      const venues = venuesOf(ctx.pool, req.user!).then(venueFilter);
      venues.catch((err: unknown) => {
        req.log.error({ err }, 'support socket: venues not loaded');
        socket.close(CLOSE_TRY_AGAIN_LATER, 'chat unavailable');
      });
      const admit = async (e: ChatEvent) => e.type === 'escalation' && escalationInVenues(ctx.pool, e.escalation.id, await venues);
      void listen(socket, req, { support: true }, admit).catch(() => {});
    },
  });
};
