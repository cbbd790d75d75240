import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { admission } from '@ticketgate/protocol';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { z } from 'zod';
import { operationalCounts, type OperationalCounts } from '../domain/analytics/operational-counts.js';
import { ttlCache } from '../domain/analytics/ttl-cache.js';
import { currentOccupancy } from '../domain/sync/occupancy.js';
import { documentErrors } from '../http/error-docs.js';
import { serviceKeyIfConfigured } from './service-key.js';

/** Database figures are read at most this often, however many scrapers ask. */
const COUNTS_TTL_MS = 10_000;

const STATUS_GAUGES: { key: Exclude<keyof OperationalCounts, 'scans' | 'conflicts' | 'rejectedUploads'>; name: string; help: string }[] = [
  { key: 'seats', name: 'ticketgate_seats', help: 'Seats by status (AVAILABLE, HELD, SOLD, CHECKED_IN), all events' },
  {
    key: 'orders',
    name: 'ticketgate_orders',
    help: 'Orders by status; EXPIRED are holds released by the sweeper or found expired at payment',
  },
  { key: 'transfers', name: 'ticketgate_transfers', help: 'Transfers by status' },
  { key: 'devices', name: 'ticketgate_devices', help: 'Enrolled gate devices by status' },
];

const docs = documentErrors(
  'Prometheus text exposition (format 0.0.4). HTTP figures are per server instance; `ticketgate_*` figures come from the ' +
    'database (the whole deployment), read at most every 10 s. Open while SERVICE_API_KEY is unset (development only: a ' +
    'production server refuses to start without it); otherwise the key is required as `X-Service-Key` or `Authorization: Bearer <key>`.',
  [['UNAUTHORIZED', 'SERVICE_API_KEY is set and the request does not carry it']],
);

/**
 * GET /metrics and the HTTP request metrics behind it. Registered at the root
 * (fastify-plugin) so its hook times every route of the app.
 */
export const metrics = fp(async (app: FastifyInstance) => {
  const { ctx } = app;
  const registry = new Registry();
  const labelNames = ['method', 'route', 'status_code'] as const;
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by route template and status',
    labelNames,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time to answer HTTP requests, by route template and status',
    labelNames,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });

  const counts = ttlCache(
    COUNTS_TTL_MS,
    () => ctx.now(),
    async () => ({ ...(await operationalCounts(ctx.pool)), occupancy: await currentOccupancy(ctx.pool, ctx.now()) }),
  );
  const dbUp = new Gauge({ name: 'ticketgate_database_up', help: '1 when the last scrape could read the database', registers: [registry] });
  let current: (OperationalCounts & { occupancy: Awaited<ReturnType<typeof currentOccupancy>> }) | undefined;
  // Loaded once per scrape before collection (prom-client collects all metrics concurrently); the gauges read it.
  const refresh = async () => {
    try {
      current = await counts();
      dbUp.set(1);
    } catch (err) {
      current = undefined;
      dbUp.set(0);
      app.log.warn({ err }, 'metrics: database counts unavailable');
    }
  };
  new Gauge({
    name: 'ticketgate_scans',
    help: 'Scans recorded (pass or fail) by verdict and source: gate (kiosk upload) or online (staff QR verification)',
    labelNames: ['result', 'source'],
    registers: [registry],
    collect() {
      this.reset();
      for (const s of current?.scans ?? []) this.set({ result: s.result, source: s.source }, s.n);
    },
  });
  new Gauge({
    name: 'ticketgate_scan_conflicts',
    help: 'Double admissions: SUCCESS scans of a seat another gate had already admitted',
    registers: [registry],
    collect() {
      if (current) this.set(current.conflicts);
    },
  });
  new Gauge({
    name: 'ticketgate_rejected_uploads',
    help: 'Scans gates uploaded that the server refused to count (an admission without a valid proof, another hall, …), by reason',
    labelNames: ['reason'],
    registers: [registry],
    collect() {
      this.reset();
      for (const reason of admission.UPLOAD_REJECTIONS) this.set({ reason }, current?.rejectedUploads[reason] ?? 0);
    },
  });
  new Gauge({
    name: 'ticketgate_occupancy_inside',
    help: 'People inside now per current event, hall and zone (zone "" = the whole hall): entries minus exits, annulled admissions excluded',
    labelNames: ['event_id', 'hall_id', 'zone'],
    registers: [registry],
    collect() {
      this.reset();
      for (const o of current?.occupancy ?? []) this.set({ event_id: o.event_id, hall_id: o.hall_id, zone: o.zone }, o.inside);
    },
  });
  for (const g of STATUS_GAUGES) {
    new Gauge({
      name: g.name,
      help: g.help,
      labelNames: ['status'],
      registers: [registry],
      collect() {
        this.reset();
        for (const [status, n] of Object.entries(current?.[g.key] ?? {})) this.set({ status }, n);
      },
    });
  }

  app.addHook('onResponse', async (req, reply) => {
    // Route templates, never raw URLs: ids in paths would make a series per ticket.
    const labels = { method: req.method, route: req.routeOptions.url ?? 'unmatched', status_code: String(reply.statusCode) };
    requests.inc(labels);
    duration.observe(labels, reply.elapsedTime / 1000);
  });

  app.withTypeProvider<ZodTypeProvider>().get(
    '/metrics',
    {
      preHandler: serviceKeyIfConfigured(app),
      schema: {
        tags: ['Health'],
        summary: 'Prometheus metrics',
        description: docs.description,
        security: [{}, { serviceKey: [] }],
        response: { 200: z.string().describe('text/plain; version=0.0.4'), ...docs.errors },
      },
    },
    async (_req, reply) => {
      await refresh();
      const body = (await registry.metrics()) + (await ctx.counters.registry.metrics()) + (await ctx.processMetrics.metrics());
      return reply.type(registry.contentType).send(body);
    },
  );
});
