// process: main (Electron) — no Electron imports here, so the window's checks are unit-testable in Node.

/**
 * What the kiosk window may do. main.ts wires these into Electron's hooks
 * (will-navigate, setWindowOpenHandler, setPermissionRequestHandler,
 * setPermissionCheckHandler, devtools); each is a pure decision on strings.
 */

/**
 * The exact origin of a URL, or null when it has none (about:, data:, garbage).
 * Comparing origins, never prefixes: `http://127.0.0.1:8100@evil.example/` starts
 * with the kiosk's URL but its host is evil.example.
 */
export function originOf(url: string): string | null {
  try {
    const origin = new URL(url).origin;
    return origin === 'null' ? null : origin;
  } catch {
    return null;
  }
}

/** The window may show `url`: only pages of the kiosk's own origin (scheme, host and port all equal). */
export function navigationAllowed(url: string, allowedOrigin: string): boolean {
  const target = originOf(url);
  return target !== null && target === originOf(allowedOrigin);
}

/** A permission request as Electron describes it (setPermissionRequestHandler's details). */
export interface PermissionRequest {
  permission: string;
  /** The page or frame asking (details.requestingUrl, or the check handler's requestingOrigin). */
  requestingUrl: string;
  /** Request handler: the kinds of media asked for ('video', 'audio'). */
  mediaTypes?: readonly string[] | undefined;
  /** Check handler: the one kind being checked ('video', 'audio', 'unknown'). */
  mediaType?: string | undefined;
}

/**
 * The camera (permission `media`, video only) for the kiosk's own page, and
 * nothing else for anyone: no microphone, no geolocation, no notifications, no
 * clipboard, no USB/serial/HID from the page (scanners are read by the engine).
 */
export function permissionAllowed(req: PermissionRequest, allowedOrigin: string): boolean {
  if (req.permission !== 'media' || !navigationAllowed(req.requestingUrl, allowedOrigin)) return false;
  if (req.mediaTypes !== undefined) return req.mediaTypes.length > 0 && req.mediaTypes.every((t) => t === 'video');
  return req.mediaType === 'video';
}

/** Developer tools only in an unpackaged (development) build; a kiosk in the field never opens them. */
export function devtoolsAllowed(opts: { packaged: boolean; env: NodeJS.ProcessEnv }): boolean {
  return !opts.packaged && opts.env.NODE_ENV !== 'production';
}
