import { loadConfig } from '../config.js';
import { migrate } from './migrate.js';

const config = loadConfig();
if (!config.DATABASE_URL) {
  console.error('DATABASE_URL: required for the migrate command (the embedded database migrates itself at start)');
  process.exit(2);
}
const applied = await migrate(config.DATABASE_URL, console.log);
console.log(applied.length ? `applied: ${applied.join(', ')}` : 'up to date');
