// process: preload (Electron, sandboxed)
// The renderer needs nothing from Node: it speaks HTTP to the engine on its own
// origin. The bridge tells it that it runs inside the kiosk shell and hands it
// the local API's launch token, which the main process passed as an argument
// (a sandboxed preload cannot read files, and the page must not).
import { contextBridge } from 'electron';

const TOKEN_ARG = '--ticketgate-local-api-token=';
const localApiToken = process.argv.find((a) => a.startsWith(TOKEN_ARG))?.slice(TOKEN_ARG.length) ?? null;

contextBridge.exposeInMainWorld('ticketgateKiosk', { shell: 'electron', version: process.versions.electron, localApiToken });
