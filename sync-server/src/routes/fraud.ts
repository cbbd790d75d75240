import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { triggeredRules } from '../domain/fraud/feature-rules.js';
import { runFraudRules } from '../domain/fraud/fraud-job.js';
import { decideFlag, listFlags, type FraudFlag } from '../domain/fraud/flags.js';
import { DomainError } from '../domain/errors.js';
import { AUTH_ERRORS, documentErrors, type ErrorRows } from '../http/error-docs.js';
import { serviceKeyOrRole } from '../plugins/service-key.js';

const tags = ['Fraud (Veritix)'];
const security: Record<string, string[]>[] = [{ bearer: [] }, { serviceKey: [] }];
const ACCESS: ErrorRows = [...AUTH_ERRORS, ['UNAUTHORIZED', 'Wrong service key'], ['FORBIDDEN', 'Token of a role below operator']];
const OPERATOR: ErrorRows = [...AUTH_ERRORS, ['FORBIDDEN', 'Token of a role below operator']];
const feature = z.number().finite().min(0).optional();
const TicketEvent = z
  .object({
    ticket_id: z.string().max(128).optional(),
    user_id: z.string().max(128).optional(),
    tickets_per_txn: feature,
    txns_per_min: feature,
    avg_price_ratio: feature,
    account_age_days: feature,
    zip_mismatch: feature,
    device_changes: feature,
  })
  .meta({ id: 'VeritixTicketEvent' });
const Flag = z
  .object({
    id: z.uuid(),
    rule: z.string(),
    subject: z.string(),
    user_id: z.uuid().nullable().describe('The account a confirmation marks as flagged'),
    details: z.record(z.string(), z.unknown()),
    status: z.enum(['OPEN', 'CONFIRMED', 'DISMISSED']),
    detected_at: z.string(),
    decided_by: z.uuid().nullable(),
    decided_at: z.string().nullable(),
  })
  .meta({ id: 'FraudFlag' });
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

const docs = {
  check: documentErrors(
    'Operator or service key. Evaluates the Veritix feature objects against stateless rules and names the rules any of them ' +
      'triggers (nothing is stored): high_volume_purchase (8+ tickets per transaction), new_account_bulk_buy (account under 7 ' +
      'days, 4+ tickets), rapid_fire_purchases (more than 10 per minute), device_hopping (more than 5 device changes), ' +
      'resale_price_gouging (3 times the face value or more).',
    [...ACCESS, ['VALIDATION_ERROR', 'events missing, more than 1,000, or a feature not a number of 0 or more']],
  ),
  list: documentErrors(
    'Operator or service key. Flags raised by the live rules (background job over purchases, transfers and scans), newest first.',
    [...ACCESS, ['VALIDATION_ERROR', 'Unknown status or limit outside 1-500']],
  ),
  decide: documentErrors(
    'Operator. `confirm` marks the account flagged (its payments then need an OTP); `dismiss` closes the flag. Decided once.',
    [...OPERATOR, ['INVALID_UUID', 'flag id is not a UUID'], ['FLAG_NOT_FOUND', 'No such flag'], ['CONFLICT', 'Already decided']],
  ),
  run: documentErrors('Operator. Runs the live rules now (the job also runs every FRAUD_JOB_INTERVAL_MS) and counts the new flags per rule.', OPERATOR),
};

/** Veritix fraud detection over our own data (docs/analytics.md). */
export const fraudRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;
  const guard = serviceKeyOrRole(app, 'operator');
  const operator = app.requireRole('operator');

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
        querystring: z.object({ status: z.enum(['OPEN', 'CONFIRMED', 'DISMISSED']).optional(), limit: z.coerce.number().int().min(1).max(500).default(100) }),
        response: { 200: z.object({ flags: z.array(Flag), count: z.number().int() }), ...docs.list.errors },
      },
    },
    async (req) => {
      const flags = await listFlags(ctx.pool, { limit: req.query.limit, ...(req.query.status ? { status: req.query.status } : {}) });
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
      present(await decideFlag(ctx.pool, { flagId: req.params.flag_id, decision: req.params.decision, operatorId: req.user!.id, at: new Date(ctx.now()) })),
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
