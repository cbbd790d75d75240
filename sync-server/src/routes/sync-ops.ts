import { PageQuery, ok, paginated, sync } from '@ticketgate/protocol';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { withTransaction } from '../db/pool.js';
import { policyView, savePolicy, storedPolicies } from '../domain/sync/admission-policy.js';
import { listConflicts } from '../domain/sync/conflicts.js';
import { eventHall } from '../domain/sync/hall-events.js';
import { eventOccupancy } from '../domain/sync/occupancy.js';
import { listDevices, revokeDevice } from '../domain/sync/devices.js';
import { createEnrolmentCode } from '../domain/sync/enrolment.js';
import { gateStats } from '../domain/sync/gate-stats.js';
import { requireDeviceInScope, requireEventInScope, requireHallInScope, venuesOf } from '../domain/access/venue-scope.js';
import { venueFilter } from '../policy/venues.js';
import { docs } from './schemas/sync-ops.js';

const pagination = (page: number, perPage: number, total: number) => ({
  page,
  per_page: perPage,
  total,
  total_pages: Math.ceil(total / perPage),
});

/** Operator side of the gate sync: enrolment codes, devices, conflicts, per-gate counts; each limited to the operator's venues. */
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
      await requireHallInScope(ctx.pool, await venuesOf(ctx.pool, req.user!), req.body.hall_id);
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
      const venueIds = venueFilter(await venuesOf(ctx.pool, req.user!));
      const { items, total } = await listDevices(ctx.pool, { hallId: hall_id, status, venueIds, page, perPage: per_page });
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
    async (req) => {
      await requireDeviceInScope(ctx.pool, await venuesOf(ctx.pool, req.user!), req.params.device_id);
      return { success: true as const, data: await revokeDevice(ctx, req.user!, req.params.device_id) };
    },
  );

  app.post(
    '/keys/rotate',
    {
      preHandler: app.requireRole('admin'),
      schema: {
        tags,
        security,
        summary: 'Rotate the sync signing key',
        description: docs.rotate.description,
        response: { 200: ok(sync.SyncKeyRotation), ...docs.rotate.errors },
      },
    },
    async () => {
      const r = await ctx.syncKeys.rotate();
      return { success: true as const, data: { previous_kid: r.previousKid, kid: r.kid, rotated_at: new Date(ctx.now()).toISOString() } };
    },
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
      await requireEventInScope(ctx.pool, await venuesOf(ctx.pool, req.user!), event_id);
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
      await requireEventInScope(ctx.pool, await venuesOf(ctx.pool, req.user!), req.query.event_id);
      const { hallId, gates } = await gateStats(ctx.pool, req.query.event_id);
      return {
        success: true as const,
        data: { event_id: req.query.event_id, hall_id: hallId, gates, server_time: new Date(ctx.now()).toISOString() },
      };
    },
  );

  app.get(
    '/occupancy',
    {
      preHandler: operator,
      schema: {
        tags,
        security,
        summary: 'People inside now, per hall and zone',
        description: docs.occupancy.description,
        querystring: sync.EventQuery,
        response: { 200: ok(sync.OccupancyView), ...docs.occupancy.errors },
      },
    },
    async (req) => {
      await requireEventInScope(ctx.pool, await venuesOf(ctx.pool, req.user!), req.query.event_id);
      return { success: true as const, data: await eventOccupancy(ctx.pool, req.query.event_id) };
    },
  );

  const eventParams = z.object({ event_id: z.uuid() });
  app.get(
    '/events/:event_id/admission-policy',
    {
      preHandler: operator,
      schema: {
        tags,
        security,
        summary: "An event's admission policy",
        description: docs.policyGet.description,
        params: eventParams,
        response: { 200: ok(sync.AdmissionPolicyView), ...docs.policyGet.errors },
      },
    },
    async (req) => {
      const { event_id } = req.params;
      await requireEventInScope(ctx.pool, await venuesOf(ctx.pool, req.user!), event_id);
      await eventHall(ctx.pool, event_id);
      return { success: true as const, data: policyView(event_id, (await storedPolicies(ctx.pool, [event_id])).get(event_id)) };
    },
  );

  app.put(
    '/events/:event_id/admission-policy',
    {
      preHandler: operator,
      schema: {
        tags,
        security,
        summary: "Set an event's admission policy",
        description: docs.policyPut.description,
        params: eventParams,
        body: sync.AdmissionPolicy,
        response: { 200: ok(sync.AdmissionPolicyView), ...docs.policyPut.errors },
      },
    },
    async (req) => {
      const { event_id } = req.params;
      await requireEventInScope(ctx.pool, await venuesOf(ctx.pool, req.user!), event_id);
      const stored = await withTransaction(ctx.pool, async (db) => {
        await eventHall(db, event_id);
        return savePolicy(db, event_id, req.body, { id: req.user!.id, role: req.user!.role });
      });
      return { success: true as const, data: policyView(event_id, stored) };
    },
  );
};
