import { render } from 'preact';
import { ConsoleShell } from './shell.js';

// The operator console: its own bundle (web/scripts/build.ts), served by the sync server at /console.
const root = document.getElementById('app')!;
root.textContent = ''; // the "Loading…" placeholder
render(<ConsoleShell />, root);
