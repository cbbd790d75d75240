import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { loadReport } from '../domain/analytics/stored-reports.js';
import { DomainError } from '../domain/errors.js';
import { serviceKeyOrRole } from '../plugins/service-key.js';
import { venuesOf } from '../domain/access/venue-scope.js';
import { requireReportScope } from '../policy/venues.js';
import { docs } from './schemas/reports.js';

/** Stored reports (docs/analytics.md, "Daily report"). */
export const reportRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/reports/:id',
    {
      preHandler: serviceKeyOrRole(app, 'operator'),
      schema: {
        tags: ['Analytics (Veritix)'],
        security: [{ bearer: [] }, { serviceKey: [] }],
        summary: 'A stored report (CSV or JSON)',
        description: docs.description,
        params: z.object({ id: z.uuid() }),
        response: { 200: z.string().describe('The report, text/csv or application/json'), ...docs.errors },
      },
    },
    async (req, reply) => {
      const report = await loadReport(app.ctx.pool, req.params.id);
      if (!report) throw new DomainError('REPORT_NOT_FOUND');
      // The service key (no user) reads every report; a user those whose venues they all may see.
      if (req.user) requireReportScope(await venuesOf(app.ctx.pool, req.user), report.venueIds);
      return reply
        .type(report.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8')
        .header('content-disposition', `attachment; filename="daily_report_${report.reportDate}.${report.format}"`)
        .send(report.content);
    },
  );
};
