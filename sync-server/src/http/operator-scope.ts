import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** Every route of this plugin scope needs an operator (or admin); checked onRequest, so callers without the role learn that before their input is judged. */
export function operatorsOnly(app: FastifyInstance): void {
  const requireOperator = app.requireRole('operator');
  app.addHook('onRequest', (req: FastifyRequest, reply: FastifyReply) => requireOperator.call(app, req, reply));
}

/** Accepts `text/csv` bodies (file imports) as one string, up to `bodyLimit` bytes, in this plugin scope. */
export function acceptCsv(app: FastifyInstance, bodyLimit: number): void {
  app.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit }, (_req, body, done) => done(null, body));
}
