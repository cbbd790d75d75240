import { PageQuery, ok, paginated } from '@ticketgate/protocol';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { addAssignment, listAssignments, removeAssignment, type VenueAssignment } from '../domain/access/assignments.js';
import { listAudit } from '../domain/audit/audit-log.js';
import { changeUserRole } from '../domain/auth/change-role.js';
import { rotateGateKey, rotateIssuingKey, type Rotation } from '../domain/keys/rotate-keys.js';
import {
  Assignment,
  AssignmentBody,
  AssignmentQuery,
  AuditQuery,
  AuditRecordSchema,
  RoleBody,
  RoleChange,
  RoleParams,
  RotateGateBody,
  RotationSchema,
  docs,
  security,
  tags,
} from './schemas/admin.js';

const presentAssignment = (a: VenueAssignment): z.infer<typeof Assignment> => ({
  user_id: a.userId,
  email: a.email,
  role: a.role,
  venue_id: a.venueId,
  venue_name: a.venueName,
  created_at: a.createdAt.toISOString(),
});

const presentRotation = (r: Rotation): z.infer<typeof RotationSchema> => ({
  kind: r.kind,
  event_id: r.eventId,
  retired_kid: r.retiredKid,
  new_kid: r.newKid,
  retired_valid_until: r.retiredValidUntil?.toISOString() ?? null,
});

/** Admin endpoints: venue assignments of staff and operators, role changes, the audit trail, key rotation. */
export const adminRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;
  const admin = app.requireRole('admin');

  app.get(
    '/admin/venue-assignments',
    {
      preHandler: admin,
      schema: {
        tags,
        security,
        summary: 'List venue assignments',
        description: docs.listAssignments.description,
        querystring: AssignmentQuery,
        response: { 200: ok(z.array(Assignment)), ...docs.listAssignments.errors },
      },
    },
    async (req) => ({
      success: true as const,
      data: (await listAssignments(ctx.pool, { userId: req.query.user_id, venueId: req.query.venue_id })).map(presentAssignment),
    }),
  );

  app.post(
    '/admin/venue-assignments',
    {
      preHandler: admin,
      schema: {
        tags,
        security,
        summary: 'Assign a staff member or operator to a venue',
        description: docs.addAssignment.description,
        body: AssignmentBody,
        response: { 200: ok(Assignment), 201: ok(Assignment), ...docs.addAssignment.errors },
      },
    },
    async (req, reply) => {
      const input = { userId: req.body.user_id, venueId: req.body.venue_id };
      const { created } = await addAssignment(ctx.pool, req.user!, input);
      const [row] = await listAssignments(ctx.pool, input);
      return reply.status(created ? 201 : 200).send({ success: true, data: presentAssignment(row!) });
    },
  );

  app.delete(
    '/admin/venue-assignments/:user_id/:venue_id',
    {
      preHandler: admin,
      schema: {
        tags,
        security,
        summary: 'Remove a venue assignment',
        description: docs.removeAssignment.description,
        params: AssignmentBody,
        response: { 200: ok(z.object({ removed: z.literal(true) })), ...docs.removeAssignment.errors },
      },
    },
    async (req) => {
      await removeAssignment(ctx.pool, req.user!, { userId: req.params.user_id, venueId: req.params.venue_id });
      return { success: true as const, data: { removed: true as const } };
    },
  );

  app.post(
    '/admin/users/:user_id/role',
    {
      preHandler: admin,
      schema: {
        tags,
        security,
        summary: "Change a user's role",
        description: docs.role.description,
        params: RoleParams,
        body: RoleBody,
        response: { 200: ok(RoleChange), ...docs.role.errors },
      },
    },
    async (req) => {
      const change = await changeUserRole(ctx.pool, req.user!, { userId: req.params.user_id, role: req.body.role });
      return { success: true as const, data: { user_id: req.params.user_id, ...change } };
    },
  );

  app.get(
    '/admin/audit',
    {
      preHandler: admin,
      schema: {
        tags,
        security,
        summary: 'The audit trail of privileged actions',
        description: docs.audit.description,
        querystring: PageQuery.extend(AuditQuery.shape),
        response: { 200: paginated(AuditRecordSchema), ...docs.audit.errors },
      },
    },
    async (req) => {
      const q = req.query;
      const { items, total } = await listAudit(ctx.pool, {
        action: q.action,
        actorId: q.actor_id,
        targetType: q.target_type,
        targetId: q.target_id,
        since: q.since ? new Date(q.since) : undefined,
        until: q.until ? new Date(q.until) : undefined,
        page: q.page,
        perPage: q.per_page,
      });
      return {
        success: true as const,
        data: items.map((r) => ({
          id: r.id,
          at: r.at.toISOString(),
          actor_id: r.actorId,
          actor_role: r.actorRole,
          action: r.action,
          target_type: r.targetType,
          target_id: r.targetId,
          details: r.details,
        })),
        pagination: { page: q.page, per_page: q.per_page, total, total_pages: Math.ceil(total / q.per_page) },
      };
    },
  );

  app.post(
    '/admin/keys/issuing/rotate',
    {
      preHandler: admin,
      schema: {
        tags,
        security,
        summary: 'Rotate the issuing key',
        description: docs.rotateIssuing.description,
        response: { 200: ok(RotationSchema), ...docs.rotateIssuing.errors },
      },
    },
    async (req) => ({ success: true as const, data: presentRotation(await rotateIssuingKey(ctx, req.user!)) }),
  );

  app.post(
    '/admin/keys/gate/rotate',
    {
      preHandler: admin,
      schema: {
        tags,
        security,
        summary: "Rotate an event's gate key",
        description: docs.rotateGate.description,
        body: RotateGateBody,
        response: { 200: ok(RotationSchema), ...docs.rotateGate.errors },
      },
    },
    async (req) => ({ success: true as const, data: presentRotation(await rotateGateKey(ctx, req.user!, req.body.event_id)) }),
  );
};
