// One sync-server instance in its own process, as production runs it
// (startServer: migrations, background jobs, live bus, HTTP), on the
// PostgreSQL named by DATABASE_URL, info logging off. Prints `LISTENING <url>`
// once it answers, stops on SIGTERM or when its parent goes away.
import { loadConfig, startServer } from '@ticketgate/sync-server';

const server = await startServer(loadConfig({ ...process.env, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'warn', DEMO: 'false' }));
console.log(`LISTENING ${server.url}`);
const stop = () => void server.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('disconnect', stop);
