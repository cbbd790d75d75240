import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { ERROR_CODES, type ErrorEnvelope } from '@ticketgate/protocol';
import { DomainError } from '../domain/errors.js';

/**
 * The one place that turns failures into the protocol's error envelope: a DomainError's
 * code names its HTTP status (shared/protocol's table). Clients never see
 * a stack trace; unknown errors carry the request id so operators can find the log line.
 */
export const errorHandler = fp(async (app: FastifyInstance) => {
  app.setErrorHandler((err: FastifyError, req: FastifyRequest, reply: FastifyReply) => {
    const send = (status: number, body: ErrorEnvelope) => reply.status(status).send(body);

    if (err instanceof DomainError) {
      return send(ERROR_CODES[err.code].status, {
        success: false,
        error_code: err.code,
        message: err.message,
        ...(err.details ? { details: err.details } : {}),
      });
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const details = err.validation.map((v) => {
        const where = err.validationContext ?? 'body';
        const path = v.instancePath.replace(/^\//, '').replaceAll('/', '.');
        return { field: path ? `${where}.${path}` : where, message: v.message ?? 'invalid' };
      });
      const uuidParam = err.validationContext === 'params' && err.validation.some((v) => /uuid/i.test(v.message ?? ''));
      if (uuidParam) {
        return send(400, { success: false, error_code: 'INVALID_UUID', message: 'A UUID parameter is malformed.', details });
      }
      return send(400, {
        success: false,
        error_code: 'VALIDATION_ERROR',
        message: `Invalid request: ${details.map((d) => `${d.field}: ${d.message}`).join('; ')}`,
        details,
      });
    }
    if (
      err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' ||
      err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' ||
      (err.statusCode === 400 && err.code?.startsWith('FST_ERR_CTP'))
    ) {
      return send(400, { success: false, error_code: 'VALIDATION_ERROR', message: 'Request body is not valid JSON.' });
    }
    if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return send(415, { success: false, error_code: 'VALIDATION_ERROR', message: 'Content-Type must be application/json.' });
    }
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return send(413, { success: false, error_code: 'VALIDATION_ERROR', message: 'Request body is too large.' });
    }
    if (err.statusCode === 429) {
      return send(429, { success: false, error_code: 'RATE_LIMITED', message: err.message || 'Too many requests.' });
    }
    const dbDown = ['ECONNREFUSED', '57P01', '57P03', '08006', '08001', 'ETIMEDOUT'].includes(String(err.code));
    if (dbDown || /Connection terminated|timeout exceeded when trying to connect/i.test(err.message)) {
      req.log.error({ err }, 'database unavailable');
      return send(503, {
        success: false,
        error_code: 'SERVICE_UNAVAILABLE',
        message: 'The database is unreachable. Retry shortly.',
        correlation_id: req.id,
      });
    }
    if (isResponseSerializationError(err)) req.log.error({ err, issues: err.cause }, 'response did not match its schema');
    else req.log.error({ err }, 'unhandled error');
    return send(500, {
      success: false,
      error_code: 'INTERNAL_ERROR',
      message: 'Unexpected server error.',
      correlation_id: req.id,
    });
  });

  app.setNotFoundHandler((req, reply) => {
    reply.status(404).send({ success: false, error_code: 'NOT_FOUND', message: `No route ${req.method} ${req.url.split('?')[0]}` });
  });
});
