import { renderQrPng } from '@ticketgate/crypto/qr-image';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { checkCredential, seatOwnerAndEvent } from '../domain/tickets/check-credential.js';
import { issueTicketQr } from '../domain/tickets/issue-ticket-qr.js';
import { venuesOf } from '../domain/access/venue-scope.js';
import { DomainError } from '../domain/errors.js';
import { ALL_VENUES } from '../policy/venues.js';
import { addressKey } from '../http/rate-limits.js';
import { requireTicketValidation } from '../policy/access.js';
import { serviceKeyOrRole } from '../plugins/service-key.js';
import { requireServiceKey } from '../plugins/service-key-only.js';
import { tags, GenerateBody, ValidateBody, Validation, SpecLimited, docs } from './schemas/qr.js';

/** The Veritix QR endpoints over TicketGate's ticket credential (docs/analytics.md). */
export const qrRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;
  const ownerOrService = serviceKeyOrRole(app, 'fan');
  const staffOrService = serviceKeyOrRole(app, 'staff');
  const serviceOnly = requireServiceKey(app);

  /** The Veritix limits (per client address, a minute): their own 429 body instead of the envelope. */
  const specLimit = (name: string, max: number) => async (req: FastifyRequest, reply: FastifyReply) => {
    const c = await ctx.limiter.hit(`${name}:${addressKey(req)}`, 60_000);
    if (c.hits > max) {
      return reply
        .status(429)
        .header('retry-after', String(Math.max(1, Math.ceil(c.retryAfterMs / 1000))))
        .send({ success: false, error: 'Rate limit exceeded. Try again in 60s.' });
    }
  };

  const generate = async (req: FastifyRequest, body: z.infer<typeof GenerateBody>): Promise<string> => {
    const seat = await seatOwnerAndEvent(ctx.pool, body.ticket_id);
    if (!seat) throw new DomainError('SEAT_NOT_FOUND');
    if (body.event !== undefined && body.event !== seat.eventId && body.event !== seat.eventName) {
      throw new DomainError('VALIDATION_ERROR', '`event` does not match the ticket.', [
        { field: 'body.event', message: 'not the event of this ticket' },
      ]);
    }
    if (body.user !== undefined && body.user !== seat.ownerUserId) {
      throw new DomainError('VALIDATION_ERROR', '`user` does not match the ticket.', [
        { field: 'body.user', message: 'not the owner of this ticket' },
      ]);
    }
    // A person gets only their own ticket's QR; a service gets the current owner's.
    const userId = req.user?.id ?? seat.ownerUserId;
    if (!userId) throw new DomainError('SEAT_UNAVAILABLE', 'This ticket has not been sold.');
    const qr = await issueTicketQr(ctx, { userId, seatId: body.ticket_id });
    const png = await renderQrPng(qr.payload);
    ctx.counters.qrGenerations.inc();
    return png.toString('base64');
  };

  const validate = async (req: FastifyRequest, text: string): Promise<z.infer<z.ZodObject<typeof Validation>>> => {
    const check = await checkCredential(ctx, text);
    if (check.ticket) {
      const scope = req.user ? await venuesOf(ctx.pool, req.user) : ALL_VENUES;
      requireTicketValidation(req.user ?? { service: true }, check.ticket.venueId, scope);
    }
    ctx.counters.qrValidations.inc({ result: check.valid ? 'valid' : 'invalid' });
    if (!check.valid) return { isValid: false, metadata: null, reason: check.reason };
    const t = check.ticket;
    return { isValid: true, metadata: { ticket_id: t.seatId, event: t.eventName, user: t.ownerUserId } };
  };

  app.post(
    '/generate-qr',
    {
      preHandler: ownerOrService,
      schema: {
        tags,
        security: [{ bearer: [] }, { serviceKey: [] }],
        summary: "PNG QR of a ticket's current credential",
        description: docs.generate.description,
        body: GenerateBody,
        response: { 200: z.object({ qr_base64: z.string().describe('Base64 PNG') }), ...docs.generate.errors },
      },
    },
    async (req, reply) => reply.header('cache-control', 'no-store').send({ qr_base64: await generate(req, req.body) }),
  );

  app.post(
    '/validate-qr',
    {
      preHandler: staffOrService,
      schema: {
        tags,
        security: [{ bearer: [] }, { serviceKey: [] }],
        summary: 'Check a scanned ticket QR without checking it in',
        description: docs.validate.description,
        body: ValidateBody,
        response: { 200: z.object(Validation), ...docs.validate.errors },
      },
    },
    async (req) => validate(req, req.body.qr_text),
  );

  app.post(
    '/qr/generate',
    {
      onRequest: specLimit('qr-generate', 60),
      preHandler: serviceOnly,
      schema: {
        tags,
        security: [{ serviceKey: [] }],
        summary: 'QR generation for back-office services (60/min)',
        description: docs.routerGenerate.description,
        body: GenerateBody,
        response: {
          200: z.object({ success: z.literal(true), msg: z.string(), qr_base64: z.string() }),
          429: SpecLimited,
          ...docs.routerGenerate.errors,
        },
      },
    },
    async (req, reply) =>
      reply
        .header('cache-control', 'no-store')
        .send({ success: true as const, msg: 'QR generated successfully', qr_base64: await generate(req, req.body) }),
  );

  app.post(
    '/qr/verify',
    {
      onRequest: specLimit('qr-verify', 30),
      preHandler: staffOrService,
      schema: {
        tags,
        security: [{ bearer: [] }, { serviceKey: [] }],
        summary: 'QR verification without check-in (30/min)',
        description: docs.routerVerify.description,
        body: ValidateBody,
        response: {
          200: z.object({ success: z.literal(true), msg: z.string(), ...Validation }),
          429: SpecLimited,
          ...docs.routerVerify.errors,
        },
      },
    },
    async (req) => {
      const v = await validate(req, req.body.qr_text);
      return { success: true as const, msg: v.isValid ? 'QR verified successfully' : 'QR is not valid', ...v };
    },
  );
};
