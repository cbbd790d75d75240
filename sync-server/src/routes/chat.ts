import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { hasRole } from '../domain/auth/roles.js';
import { requireConversationAccess } from '../domain/analytics/chat-access.js';
import { escalateConversation, listEscalations } from '../domain/analytics/chat-escalations.js';
import { conversationHistory, sendMessage, userConversations } from '../domain/analytics/chat-messages.js';
import { AppError } from '../http/app-error.js';
import { AUTH_ERRORS, documentErrors, type ErrorRows } from '../http/error-docs.js';

const tags = ['Chat (Veritix)'];
const security = [{ bearer: [] }];
const ConversationParams = z.object({
  // 100: the router's longest path parameter.
  conversation_id: z.string().regex(/^[\w.:-]{1,100}$/, '1-100 letters, digits, _ . : -'),
});
const Metadata = z.record(z.string(), z.unknown());
const ACCESS: ErrorRows = [...AUTH_ERRORS, ['FORBIDDEN', 'Not part of this conversation (staff and above may read and write any)']];
const BAD_ID: ErrorRows = [['VALIDATION_ERROR', 'conversation_id malformed, or the body/query failed validation']];
const NOTE = 'Authenticated (Veritix left chat open). The 200 body has the Veritix shape; errors use the TicketGate envelope. ';

const docs = {
  send: documentErrors(
    `${NOTE}The sender is the token's user: \`sender_id\` may be omitted and, if given, must be your own id unless you are staff or above; ` +
      '`sender_type` `agent` is for staff and above. Anyone may open a new conversation id; only its participants (and staff) write in it afterwards.',
    [...ACCESS, ...BAD_ID],
  ),
  history: documentErrors(`${NOTE}The last \`limit\` messages (1-500, default 50), oldest first. Timestamps are UTC ISO 8601.`, [...ACCESS, ...BAD_ID]),
  escalate: documentErrors(`${NOTE}Hands the conversation to human support.`, [...ACCESS, ...BAD_ID]),
  escalations: documentErrors(`${NOTE}Every escalation of the conversation, oldest first.`, [...ACCESS, ...BAD_ID]),
  conversations: documentErrors(`${NOTE}Conversations the user has written in, most recent first. Your own, unless you are staff or above.`, [
    ...AUTH_ERRORS,
    ['FORBIDDEN', 'user_id is someone else and you are below staff'],
    ['VALIDATION_ERROR', 'user_id malformed'],
  ]),
};

/** Veritix chat over HTTP (docs/analytics.md); the WebSocket endpoint is not provided. */
export const chatRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;

  app.post(
    '/chat/:conversation_id/messages',
    {
      preHandler: app.authenticate,
      schema: {
        tags,
        security,
        summary: 'Send a chat message',
        description: docs.send.description,
        params: ConversationParams,
        body: z.object({
          sender_id: z.string().min(1).max(128).optional(),
          sender_type: z.enum(['user', 'agent']).default('user'),
          content: z.string().trim().min(1).max(4000),
          metadata: Metadata.default({}),
        }),
        response: { 200: z.object({ status: z.literal('success'), message_id: z.uuid() }), ...docs.send.errors },
      },
    },
    async (req) => {
      const user = req.user!;
      const support = hasRole(user.role, 'staff');
      const senderId = req.body.sender_id ?? user.id;
      if (!support && senderId !== user.id) throw new AppError('FORBIDDEN', 'sender_id must be your own user id (it comes from your token).');
      if (!support && req.body.sender_type === 'agent') throw new AppError('FORBIDDEN', 'Only support staff send as agent.');
      const id = await sendMessage(
        ctx.pool,
        {
          conversationId: req.params.conversation_id,
          senderId,
          senderType: req.body.sender_type,
          content: req.body.content,
          metadata: req.body.metadata,
          at: new Date(ctx.now()),
        },
        { support },
      );
      return { status: 'success' as const, message_id: id };
    },
  );

  app.get(
    '/chat/:conversation_id/history',
    {
      preHandler: app.authenticate,
      schema: {
        tags,
        security,
        summary: 'Message history of a conversation',
        description: docs.history.description,
        params: ConversationParams,
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) }),
        response: {
          200: z.object({
            conversation_id: z.string(),
            messages: z.array(
              z.object({
                id: z.uuid(),
                sender_id: z.string(),
                sender_type: z.enum(['user', 'agent']),
                content: z.string(),
                timestamp: z.string(),
                conversation_id: z.string(),
                metadata: Metadata,
              }),
            ),
            count: z.number().int(),
          }),
          ...docs.history.errors,
        },
      },
    },
    async (req) => {
      const conversationId = req.params.conversation_id;
      await requireConversationAccess(ctx.pool, conversationId, req.user!);
      const messages = await conversationHistory(ctx.pool, conversationId, req.query.limit);
      return {
        conversation_id: conversationId,
        messages: messages.map((m) => ({
          id: m.id,
          sender_id: m.senderId,
          sender_type: m.senderType,
          content: m.content,
          timestamp: m.createdAt.toISOString(),
          conversation_id: m.conversationId,
          metadata: m.metadata,
        })),
        count: messages.length,
      };
    },
  );

  app.post(
    '/chat/:conversation_id/escalate',
    {
      preHandler: app.authenticate,
      schema: {
        tags,
        security,
        summary: 'Escalate a conversation to human support',
        description: docs.escalate.description,
        params: ConversationParams,
        body: z.object({ reason: z.string().trim().min(1).max(1000), metadata: Metadata.default({}) }),
        response: {
          200: z.object({ status: z.literal('success'), escalation_id: z.string(), reason: z.string(), timestamp: z.string() }),
          ...docs.escalate.errors,
        },
      },
    },
    async (req) => {
      const conversationId = req.params.conversation_id;
      await requireConversationAccess(ctx.pool, conversationId, req.user!);
      const e = await escalateConversation(ctx.pool, { conversationId, reason: req.body.reason, metadata: req.body.metadata, at: new Date(ctx.now()) });
      return { status: 'success' as const, escalation_id: e.id, reason: e.reason, timestamp: e.createdAt.toISOString() };
    },
  );

  app.get(
    '/chat/:conversation_id/escalations',
    {
      preHandler: app.authenticate,
      schema: {
        tags,
        security,
        summary: 'Escalations of a conversation',
        description: docs.escalations.description,
        params: ConversationParams,
        response: {
          200: z.object({
            conversation_id: z.string(),
            escalations: z.array(z.object({ id: z.string(), reason: z.string(), timestamp: z.string(), metadata: Metadata })),
            count: z.number().int(),
          }),
          ...docs.escalations.errors,
        },
      },
    },
    async (req) => {
      const conversationId = req.params.conversation_id;
      await requireConversationAccess(ctx.pool, conversationId, req.user!);
      const list = await listEscalations(ctx.pool, conversationId);
      return {
        conversation_id: conversationId,
        escalations: list.map((e) => ({ id: e.id, reason: e.reason, timestamp: e.createdAt.toISOString(), metadata: e.metadata })),
        count: list.length,
      };
    },
  );

  app.get(
    '/chat/user/:user_id/conversations',
    {
      preHandler: app.authenticate,
      schema: {
        tags,
        security,
        summary: "A user's conversations",
        description: docs.conversations.description,
        params: z.object({ user_id: z.string().min(1).max(128) }),
        response: {
          200: z.object({ user_id: z.string(), conversations: z.array(z.string()), count: z.number().int() }),
          ...docs.conversations.errors,
        },
      },
    },
    async (req) => {
      const user = req.user!;
      if (req.params.user_id !== user.id && !hasRole(user.role, 'staff')) {
        throw new AppError('FORBIDDEN', 'You may list only your own conversations.');
      }
      const conversations = await userConversations(ctx.pool, req.params.user_id);
      return { user_id: req.params.user_id, conversations, count: conversations.length };
    },
  );
};
