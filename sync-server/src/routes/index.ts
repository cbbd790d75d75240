import type { FastifyPluginAsync } from 'fastify';
import { analyticsRoutes } from './analytics.js';
import { authRoutes } from './auth.js';
import { catalogImportRoutes } from './catalog-import.js';
import { catalogRoutes } from './catalog.js';
import { chatSocketRoutes } from './chat-ws.js';
import { eventRoutes } from './events.js';
import { transferRoutes } from './transfers.js';
import { creditRoutes } from './credits.js';
import { opsOutboxRoutes } from './ops-outbox.js';
import { otpRoutes } from './otp.js';
import { fraudRoutes } from './fraud.js';
import { purchaseRoutes } from './purchase.js';
import { qrRoutes } from './qr.js';
import { reportRoutes } from './reports.js';
import { scalperRoutes } from './scalper.js';
import { searchRoutes } from './search.js';
import { syncRoutes } from './sync.js';
import { ticketRoutes } from './tickets.js';
import { verifyRoutes } from './verify.js';
import { veritixServiceRoutes } from './veritix-service.js';
import { webhookRoutes } from './webhooks.js';

/**
 * The public API under /api. Each domain registers its routes module here
 * (one line each); routes hold HTTP only, transactions live in src/domain.
 */
export const apiRoutes: FastifyPluginAsync = async (app) => {
  await app.register(authRoutes);
  await app.register(eventRoutes);
  await app.register(catalogRoutes);
  await app.register(transferRoutes);
  await app.register(purchaseRoutes);
  await app.register(otpRoutes);
  await app.register(creditRoutes);
  await app.register(webhookRoutes);
  await app.register(ticketRoutes);
  await app.register(verifyRoutes);
  await app.register(opsOutboxRoutes);
  await app.register(analyticsRoutes);
  await app.register(veritixServiceRoutes);
  await app.register(qrRoutes);
  await app.register(searchRoutes);
  await app.register(scalperRoutes);
  await app.register(fraudRoutes);
  await app.register(chatSocketRoutes);
  await app.register(reportRoutes);
  await app.register(catalogImportRoutes);
  await app.register(syncRoutes, { prefix: '/sync' });
};
