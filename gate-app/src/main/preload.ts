// process: preload (Electron, sandboxed)
// The renderer needs nothing from Node: it speaks HTTP to the engine on its own
// origin. The bridge only tells it that it runs inside the kiosk shell.
import { contextBridge } from 'electron';

contextBridge.exposeInMainWorld('ticketgateKiosk', { shell: 'electron', version: process.versions.electron });
