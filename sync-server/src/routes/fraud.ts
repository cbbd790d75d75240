import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { triggeredRules } from '../domain/fraud/feature-rules.js';
import { runFraudRules } from '../domain/fraud/fraud-job.js';
import { decideFlag, listFlags, type FraudFlag } from '../domain/fraud/flags.js';
import { DomainError } from '../domain/errors.js';
import { serviceKeyOrRole } from '../plugins/service-key.js';
import { venuesOf } from '../domain/access/venue-scope.js';
import type { Actor } from '../policy/access.js';
import { venueFilter } from '../policy/venues.js';
import { tags, security, TicketEvent, Flag, docs } from './schemas/fraud.js';
const present = (f: FraudFlag): z.infer<typeof Flag> => ({
  id: f.id,
  rule: f.rule,
  subject: f.subject,
  user_id: f.userId,
  details: f.details,
  status: f.status,
  detected_at: f.detectedAt.toISOString(),
  decided_by: f.decidedBy,
  decided_at: f.decidedAt?.toISOString() ?? null,
});

/** Veritix fraud detection over our own data (docs/analytics.md). */
export const fraudRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;
  const guard = serviceKeyOrRole(app, 'operator');
  const operator = app.requireRole('operator');
  // Operators see and decide the flags of their venues; admins and the service key (no user) every flag.
  const scopeIds = async (user: Actor | undefined) => (user ? venueFilter(await venuesOf(ctx.pool, user)) : null);

  app.post(
    '/check-fraud',
    {
      preHandler: guard,
      schema: {
        tags,
        security,
        summary: 'Fraud rules over Veritix ticket events (stateless)',
        description: docs.check.description,
        body: z.object({ events: z.array(TicketEvent).max(1000) }),
        response: { 200: z.object({ triggered_rules: z.array(z.string()) }), ...docs.check.errors },
      },
    },
    async (req) => ({ triggered_rules: triggeredRules(req.body.events) }),
  );

  app.get(
    '/fraud/flags',
    {
      preHandler: guard,
      schema: {
        tags,
        security,
        summary: 'Fraud flags of the live rules',
        description: docs.list.description,
        querystring: z.object({
          status: z.enum(['OPEN', 'CONFIRMED', 'DISMISSED']).optional(),
          limit: z.coerce.number().int().min(1).max(500).default(100),
        }),
        response: { 200: z.object({ flags: z.array(Flag), count: z.number().int() }), ...docs.list.errors },
      },
    },
    async (req) => {
      const venueIds = await scopeIds(req.user);
      const flags = await listFlags(ctx.pool, {
        limit: req.query.limit,
        venueIds,
        ...(req.query.status ? { status: req.query.status } : {}),
      });
      return { flags: flags.map(present), count: flags.length };
    },
  );

  app.post(
    '/fraud/flags/:flag_id/:decision',
    {
      preHandler: operator,
      schema: {
        tags,
        security: [{ bearer: [] }],
        summary: 'Confirm or dismiss a fraud flag',
        description: docs.decide.description,
        params: z.object({ flag_id: z.uuid(), decision: z.enum(['confirm', 'dismiss']) }),
        response: { 200: Flag, ...docs.decide.errors },
      },
    },
    async (req) =>
      present(
        await decideFlag(ctx.pool, {
          flagId: req.params.flag_id,
          decision: req.params.decision,
          operatorId: req.user!.id,
          at: new Date(ctx.now()),
          venueIds: await scopeIds(req.user),
        }),
      ),
  );

  app.post(
    '/fraud/run',
    {
      preHandler: operator,
      schema: {
        tags,
        security: [{ bearer: [] }],
        summary: 'Run the live fraud rules now',
        description: docs.run.description,
        response: { 200: z.object({ new_flags: z.record(z.string(), z.number().int()) }), ...docs.run.errors },
      },
    },
    async () => {
      const added = await runFraudRules(ctx);
      if (!added) throw new DomainError('CONFLICT', 'Another server instance is running the rules right now; try again in a moment.');
      return { new_flags: added };
    },
  );
};
