import { startStripeStandin } from './stripe-standin.js';

/**
 * `npm run stripe-standin -w @ticketgate/sync-server`: the Stripe stand-in as its
 * own process, for a server started with the printed STRIPE_* settings.
 *   STRIPE_STANDIN_PORT (12111), STRIPE_WEBHOOK_URL (http://127.0.0.1:8000/api/webhooks/stripe),
 *   STRIPE_SECRET_KEY / STRIPE_WEBHOOK_SECRET (generated unless given).
 */
const port = Number(process.env.STRIPE_STANDIN_PORT ?? 12111);
const webhookUrl = process.env.STRIPE_WEBHOOK_URL ?? 'http://127.0.0.1:8000/api/webhooks/stripe';
const standin = await startStripeStandin({
  port,
  webhookUrl,
  ...(process.env.STRIPE_SECRET_KEY ? { secretKey: process.env.STRIPE_SECRET_KEY } : {}),
  ...(process.env.STRIPE_WEBHOOK_SECRET ? { webhookSecret: process.env.STRIPE_WEBHOOK_SECRET } : {}),
  log: (line) => console.error(line),
});

console.log(
  [
    `Stripe stand-in listening at ${standin.url}; webhooks go to ${webhookUrl}.`,
    'Start the server with:',
    `  STRIPE_SECRET_KEY=${standin.secretKey} STRIPE_WEBHOOK_SECRET=${standin.webhookSecret} STRIPE_API_URL=${standin.url} npm start`,
    'Pay a top-up (client_secret from POST /api/credits/topup):',
    `  curl -X POST ${standin.url}/v1/payment_intents/pi_XXX/confirm -d client_secret=pi_XXX_secret_YYY`,
  ].join('\n'),
);

const stop = () => void standin.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
