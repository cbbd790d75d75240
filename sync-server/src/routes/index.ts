import type { FastifyInstance } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { deviceAuth } from '../plugins/device-auth.js';
import { adminRoutes } from './admin.js';
import { analyticsRoutes } from './analytics.js';
import { authRoutes } from './auth.js';
import { catalogImportRoutes } from './catalog-import.js';
import { catalogRoutes } from './catalog.js';
import { chatSocketRoutes } from './chat-ws.js';
import { chatRoutes } from './chat.js';
import { creditHistoryRoutes } from './credit-history.js';
import { creditRoutes } from './credits.js';
import { eventRoutes } from './events.js';
import { opsOutboxRoutes } from './ops-outbox.js';
import { fraudRoutes } from './fraud.js';
import { otpRoutes } from './otp.js';
import { paymentClientRoutes } from './payment-client.js';
import { purchaseRoutes } from './purchase.js';
import { qrRoutes } from './qr.js';
import { reportRoutes } from './reports.js';
import { scalperRoutes } from './scalper.js';
import { searchRoutes } from './search.js';
import { syncOpsRoutes } from './sync-ops.js';
import { syncRoutes } from './sync.js';
import { ticketRoutes } from './tickets.js';
import { transferRoutes } from './transfers.js';
import { userLookupRoutes } from './user-lookup.js';
import { verifyRoutes } from './verify.js';
import { veritixServiceRoutes } from './veritix-service.js';
import { webhookRoutes } from './webhooks.js';

/** What a routes module uses from the app besides `app.ctx`: the auth plugins' preHandlers. */
type Need = 'authenticate' | 'requireRole' | 'authenticateDevice';

interface RoutesModule {
  plugin: FastifyPluginAsyncZod;
  prefix?: string;
  needs: readonly Need[];
}

/**
 * Every routes module of /api, in one table: the only place a route is
 * registered. Each row names the decorators its routes use, checked before
 * the module is registered, so a module moved or reordered fails at start-up
 * and not at its first request. Routes hold HTTP only: schema, policy, domain
 * call, response; transactions live in src/domain.
 */
export const API_ROUTES: readonly RoutesModule[] = [
  { plugin: authRoutes, needs: ['authenticate'] },
  { plugin: eventRoutes, needs: [] },
  { plugin: catalogRoutes, needs: ['requireRole'] },
  { plugin: transferRoutes, needs: ['authenticate', 'requireRole'] },
  { plugin: purchaseRoutes, needs: ['authenticate'] },
  { plugin: otpRoutes, needs: ['authenticate'] },
  { plugin: creditRoutes, needs: ['authenticate'] },
  { plugin: webhookRoutes, needs: [] },
  { plugin: ticketRoutes, needs: ['authenticate'] },
  { plugin: verifyRoutes, needs: ['requireRole'] },
  { plugin: opsOutboxRoutes, needs: ['requireRole'] },
  { plugin: analyticsRoutes, needs: ['requireRole'] },
  { plugin: chatRoutes, needs: ['authenticate'] },
  { plugin: chatSocketRoutes, needs: ['authenticate'] },
  { plugin: veritixServiceRoutes, needs: [] },
  { plugin: qrRoutes, needs: ['requireRole'] },
  { plugin: searchRoutes, needs: ['requireRole'] },
  { plugin: scalperRoutes, needs: ['requireRole'] },
  { plugin: fraudRoutes, needs: ['requireRole'] },
  { plugin: reportRoutes, needs: ['requireRole'] },
  { plugin: catalogImportRoutes, needs: ['requireRole'] },
  { plugin: adminRoutes, needs: ['requireRole'] },
  { plugin: creditHistoryRoutes, needs: ['authenticate'] },
  { plugin: paymentClientRoutes, needs: [] },
  { plugin: userLookupRoutes, needs: ['authenticate'] },
  { plugin: syncRoutes, prefix: '/sync', needs: ['authenticateDevice'] },
  { plugin: syncOpsRoutes, prefix: '/sync', needs: ['requireRole'] },
];

export async function apiRoutes(app: FastifyInstance): Promise<void> {
  await app.register(deviceAuth);
  for (const m of API_ROUTES) {
    const missing = m.needs.filter((n) => !app.hasDecorator(n));
    if (missing.length) throw new Error(`routes ${m.plugin.name}: register ${missing.join(', ')} before them`);
    await app.register(m.plugin, m.prefix ? { prefix: m.prefix } : {});
  }
}
