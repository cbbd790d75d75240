import type { FastifyPluginAsync } from 'fastify';
import { analyticsRoutes } from './analytics.js';
import { authRoutes } from './auth.js';
import { catalogRoutes } from './catalog.js';
import { eventRoutes } from './events.js';
import { transferRoutes } from './transfers.js';
import { creditHistoryRoutes } from './credit-history.js';
import { creditRoutes } from './credits.js';
import { opsOutboxRoutes } from './ops-outbox.js';
import { otpRoutes } from './otp.js';
import { paymentClientRoutes } from './payment-client.js';
import { purchaseRoutes } from './purchase.js';
import { seatStatusRoutes } from './seat-status.js';
import { syncRoutes } from './sync.js';
import { ticketRoutes } from './tickets.js';
import { userLookupRoutes } from './user-lookup.js';
import { verifyRoutes } from './verify.js';
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
  await app.register(seatStatusRoutes);
  await app.register(creditHistoryRoutes);
  await app.register(paymentClientRoutes);
  await app.register(userLookupRoutes);
  await app.register(syncRoutes, { prefix: '/sync' });
};
