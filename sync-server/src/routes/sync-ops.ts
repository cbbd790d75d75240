import { PageQuery, ok, paginated, sync } from '@ticketgate/protocol';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { listConflicts } from '../domain/sync/conflicts.js';
import { listDevices, revokeDevice } from '../domain/sync/devices.js';
import { createEnrolmentCode } from '../domain/sync/enrolment.js';
import { gateStats } from '../domain/sync/gate-stats.js';
import { docs } from './schemas/sync-ops.js';

const pagination = (page: number, perPage: number, total: number) => ({
  page,
  per_page: perPage,
  total,
  total_pages: Math.ceil(total / perPage),
});

/** Operator side of the gate sync: enrolment codes, devices, conflicts, per-gate counts. */
export const syncOpsRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;
  const tags = ['Gate sync (operators)'];
  const security = [{ bearer: [] }];
  const operator = app.requireRole('operator');

  app.post(
    '/enrolments',
    {
      preHandler: operator,
      schema: {
        tags,
        security,
        summary: 'Create a one-time gate enrolment code for a hall',
        description: docs.enrolment.description,
        body: sync.CreateEnrolmentRequest,
        response: { 201: ok(sync.CreateEnrolmentResponse), ...docs.enrolment.errors },
      },
    },
    async (req, reply) => {
      const c = await createEnrolmentCode(ctx, { hallId: req.body.hall_id, ttlMinutes: req.body.ttl_minutes, createdBy: req.user!.id });
      return reply.status(201).send({ success: true, data: { code: c.code, hall_id: c.hallId, expires_at: c.expiresAt.toISOString() } });
    },
  );

  app.get(
    '/devices',
    {
      preHandler: operator,
      schema: {
        tags,
        security,
        summary: 'List gate devices',
        description: docs.devices.description,
        querystring: PageQuery.extend(sync.DeviceListQuery.shape),
        response: { 200: paginated(sync.DeviceView), ...docs.devices.errors },
      },
    },
    async (req) => {
      const { page, per_page, hall_id, status } = req.query;
      const { items, total } = await listDevices(ctx.pool, { hallId: hall_id, status, page, perPage: per_page });
      return { success: true as const, data: items, pagination: pagination(page, per_page, total) };
    },
  );

  app.post(
    '/devices/:device_id/revoke',
    {
      preHandler: operator,
      schema: {
        tags,
        security,
        summary: 'Revoke a gate device',
        description: docs.revoke.description,
        params: z.object({ device_id: z.uuid() }),
        response: { 200: ok(sync.DeviceView), ...docs.revoke.errors },
      },
    },
    async (req) => ({ success: true as const, data: await revokeDevice(ctx, req.params.device_id) }),
  );

  app.get(
    '/conflicts',
    {
      preHandler: operator,
      schema: {
        tags,
        security,
        summary: 'Double admissions of an event',
        description: docs.conflicts.description,
        querystring: PageQuery.extend(sync.EventQuery.shape),
        response: { 200: paginated(sync.ConflictView), ...docs.conflicts.errors },
      },
    },
    async (req) => {
      const { page, per_page, event_id } = req.query;
      const { items, total } = await listConflicts(ctx.pool, { eventId: event_id, page, perPage: per_page });
      return { success: true as const, data: items, pagination: pagination(page, per_page, total) };
    },
  );

  app.get(
    '/stats',
    {
      preHandler: operator,
      schema: {
        tags,
        security,
        summary: 'Scans of an event per gate by verdict',
        description: docs.stats.description,
        querystring: sync.EventQuery,
        response: { 200: ok(sync.GateStats), ...docs.stats.errors },
      },
    },
    async (req) => {
      const { hallId, gates } = await gateStats(ctx.pool, req.query.event_id);
      return {
        success: true as const,
        data: { event_id: req.query.event_id, hall_id: hallId, gates, server_time: new Date(ctx.now()).toISOString() },
      };
    },
  );
};
