import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { checkConversationAccess, mayReadConversation } from '../domain/analytics/chat-access.js';
import { escalateConversation, listEscalations, recentEscalations } from '../domain/analytics/chat-escalations.js';
import { venuesOf } from '../domain/access/venue-scope.js';
import { venueFilter } from '../policy/venues.js';
import { conversationHistory, sendMessage, userConversations } from '../domain/analytics/chat-messages.js';
import { chatSender, requireConversationList, requireSupport } from '../policy/access.js';
import { ConversationParams, Metadata, RecentEscalations, RecentQuery, docs, security, tags } from './schemas/chat.js';

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
      const senderId = chatSender(user, { senderId: req.body.sender_id, senderType: req.body.sender_type });
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
        { mayRead: await mayReadConversation(ctx.pool, req.params.conversation_id, user) },
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
      await checkConversationAccess(ctx.pool, conversationId, req.user!);
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
      await checkConversationAccess(ctx.pool, conversationId, req.user!);
      const e = await escalateConversation(ctx.pool, {
        conversationId,
        reason: req.body.reason,
        metadata: req.body.metadata,
        at: new Date(ctx.now()),
      });
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
      await checkConversationAccess(ctx.pool, conversationId, req.user!);
      const list = await listEscalations(ctx.pool, conversationId);
      return {
        conversation_id: conversationId,
        escalations: list.map((e) => ({ id: e.id, reason: e.reason, timestamp: e.createdAt.toISOString(), metadata: e.metadata })),
        count: list.length,
      };
    },
  );

  app.get(
    '/support/escalations',
    {
      preHandler: app.authenticate,
      schema: {
        tags,
        security,
        summary: "Recent escalations of the caller's venues (support staff)",
        description: docs.recent.description,
        querystring: RecentQuery,
        response: {
          200: RecentEscalations,
          ...docs.recent.errors,
        },
      },
    },
    async (req) => {
      requireSupport(req.user!);
      const list = await recentEscalations(ctx.pool, venueFilter(await venuesOf(ctx.pool, req.user!)), req.query.limit);
      return {
        escalations: list.map((e) => ({
          id: e.id,
          conversation_id: e.conversationId,
          reason: e.reason,
          timestamp: e.createdAt.toISOString(),
          venue_id: e.venueId,
          metadata: e.metadata,
        })),
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
      requireConversationList(user, req.params.user_id);
      const conversations = await userConversations(ctx.pool, req.params.user_id);
      return { user_id: req.params.user_id, conversations, count: conversations.length };
    },
  );
};
