import { z } from 'zod';
import { AUDIT_ACTIONS } from '../../domain/audit/audit-log.js';
import { ROLES } from '../../domain/auth/roles.js';
import { AUTH_ERRORS, documentErrors, type ErrorRows } from '../../http/error-docs.js';

// Request and response schemas of routes/admin.ts, with their OpenAPI descriptions and error tables.

export const tags = ['Administration'];
export const security = [{ bearer: [] }];

const ADMIN: ErrorRows = [...AUTH_ERRORS, ['FORBIDDEN', 'Caller is not an admin']];

export const Assignment = z.object({
  user_id: z.uuid(),
  email: z.string(),
  role: z.string().describe('staff or operator'),
  venue_id: z.uuid(),
  venue_name: z.string(),
  created_at: z.string().describe('ISO 8601, UTC'),
});

export const AssignmentQuery = z.object({
  user_id: z.uuid().optional().describe('Only this user'),
  venue_id: z.uuid().optional().describe('Only this venue'),
});

export const AssignmentBody = z.object({ user_id: z.uuid(), venue_id: z.uuid() });

export const AuditQuery = z.object({
  action: z.enum(AUDIT_ACTIONS).optional(),
  actor_id: z.uuid().optional(),
  target_type: z.string().max(64).optional(),
  target_id: z.string().max(128).optional(),
  since: z.iso.datetime({ offset: true }).optional().describe('From this time (inclusive, ISO 8601)'),
  until: z.iso.datetime({ offset: true }).optional().describe('Before this time (exclusive, ISO 8601)'),
});

export const AuditRecordSchema = z.object({
  id: z.number().int(),
  at: z.string().describe('ISO 8601, UTC'),
  actor_id: z.uuid().nullable().describe('null: the server itself (scheduled key rotation)'),
  actor_role: z.string().nullable(),
  action: z.string(),
  target_type: z.string(),
  target_id: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
});

export const RoleParams = z.object({ user_id: z.uuid() });
export const RoleBody = z.object({ role: z.enum(ROLES) });
export const RoleChange = z.object({ user_id: z.uuid(), from: z.enum(ROLES), to: z.enum(ROLES) });

export const RotateGateBody = z.object({ event_id: z.uuid() });

export const RotationSchema = z.object({
  kind: z.enum(['issuing', 'gate']),
  event_id: z.uuid().nullable(),
  retired_kid: z.string().nullable().describe('The key retired by this rotation (null if there was none yet)'),
  new_kid: z.string().describe('The key new codes carry from now on'),
  retired_valid_until: z.string().nullable().describe('Until when the retired key still verifies (retired_at + overlap)'),
});

export const docs = {
  listAssignments: documentErrors('Admin. Which staff and operators work for which venue (admins see every venue and need none).', [
    ...ADMIN,
    ['VALIDATION_ERROR', 'user_id or venue_id is not a UUID'],
  ]),
  addAssignment: documentErrors(
    'Admin. Assigns a staff member or operator to a venue; assigning twice answers 200 with the same row. Audited.',
    [
      ...ADMIN,
      ['VALIDATION_ERROR', 'Body failed validation, or the user is a fan or an admin'],
      ['USER_NOT_FOUND', 'No such user'],
      ['VENUE_NOT_FOUND', 'No such venue'],
    ],
  ),
  removeAssignment: documentErrors(
    'Admin. Ends an assignment: from the next request on, the user no longer acts for that venue. Audited.',
    [...ADMIN, ['VALIDATION_ERROR', 'user_id or venue_id is not a UUID'], ['NOT_FOUND', 'The user is not assigned to that venue']],
  ),
  role: documentErrors(
    "Admin. Sets a user's role (not your own). A user who is no longer staff or operator loses their venue assignments. Audited.",
    [...ADMIN, ['VALIDATION_ERROR', 'Unknown role or malformed user_id'], ['USER_NOT_FOUND', 'No such user']],
  ),
  audit: documentErrors(
    'Admin. The append-only audit trail of privileged actions (transfer reversal and upholding, device revocation, key rotation, ' +
      'venue assignments, role changes, SMS outbox reads), newest first, filtered and paginated.',
    [...ADMIN, ['VALIDATION_ERROR', 'Bad filter or page']],
  ),
  rotateIssuing: documentErrors(
    'Admin. Retires the active issuing key and makes a new one active: new codes are signed with it at once on every server ' +
      'instance; codes signed before still verify until retired_valid_until. Gates receive the new public key in their manifest ' +
      '(the live stream tells them to re-pull). Audited.',
    ADMIN,
  ),
  rotateGate: documentErrors(
    "Admin. Retires the event's active gate key and makes a new one active (the stolen-kiosk drill, docs/operations.md): a gate " +
      'that cannot fetch the new manifest (revoked) cannot read codes issued from now on; gates of the hall get the new key ' +
      'through their manifest, which the live stream tells them to re-pull. Audited.',
    [...ADMIN, ['VALIDATION_ERROR', 'event_id is not a UUID'], ['EVENT_NOT_FOUND', 'No such event']],
  ),
};
