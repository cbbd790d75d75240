import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from './api.js';

/** The server's chat sockets speak this subprotocol; the access token rides along as `bearer.<token>`. */
const CHAT_PROTOCOL = 'ticketgate.chat';
const RETRY_MS = [1000, 2000, 5000, 10_000];

export type SocketState = 'connecting' | 'live' | 'offline';

/**
 * A server WebSocket under /api (the support feed, a conversation) kept open
 * while the view is shown: every JSON frame goes to `onFrame`; a dropped
 * socket reconnects with a fresh token after a growing pause. `path` null: none.
 */
export function useLiveSocket(path: string | null, onFrame: (frame: { type: string } & Record<string, unknown>) => void): SocketState {
  const [state, setState] = useState<SocketState>('connecting');
  const handler = useRef(onFrame);
  handler.current = onFrame;
  useEffect(() => {
    if (!path) return;
    let ws: WebSocket | null = null;
    let stopped = false;
    let attempt = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const connect = async () => {
      setState('connecting');
      let token: string | null = null;
      try {
        token = await api.socketToken(attempt > 0);
      } catch {
        // offline or signed out: retried below
      }
      if (stopped) return;
      if (!token) return retry();
      const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${path}`;
      ws = new WebSocket(url, [CHAT_PROTOCOL, `bearer.${token}`]);
      ws.onopen = () => {
        attempt = 0;
        setState('live');
      };
      ws.onmessage = (m) => {
        try {
          handler.current(JSON.parse(String(m.data)) as { type: string });
        } catch {
          // not JSON: ignored
        }
      };
      ws.onclose = () => {
        ws = null;
        if (!stopped) retry();
      };
    };
    const retry = () => {
      setState('offline');
      timer = setTimeout(() => void connect(), RETRY_MS[Math.min(attempt++, RETRY_MS.length - 1)]);
    };
    void connect();
    return () => {
      stopped = true;
      clearTimeout(timer);
      ws?.close();
    };
  }, [path]);
  return state;
}
