import { startTwilioStandin } from './twilio-standin.js';

/**
 * `npm run twilio-standin -w @ticketgate/sync-server`: the Twilio stand-in as
 * its own process, for a development server started with the printed TWILIO_*
 * settings (the real SDK then sends every code here). Each message is printed:
 * this terminal is the development "phone". TWILIO_STANDIN_PORT (12112).
 */
const port = Number(process.env.TWILIO_STANDIN_PORT ?? 12112);
const standin = await startTwilioStandin({ port, onMessage: (m) => console.log(`SMS to ${m.to}: ${m.body}`) });

console.log(
  [
    `Twilio stand-in listening at ${standin.url}.`,
    'Start the server with:',
    `  SMS_PROVIDER=twilio TWILIO_ACCOUNT_SID=${standin.accountSid} TWILIO_AUTH_TOKEN=${standin.authToken} TWILIO_FROM=+15005550006 TWILIO_API_URL=${standin.url} npm start`,
  ].join('\n'),
);

const stop = () => void standin.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
