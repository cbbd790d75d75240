import { ApiClient, ApiError, localSessionStore, type PublicUser } from '@ticketgate/ui/api';
import { errorText } from '@ticketgate/ui/errors';
import { useSessionUser } from '../use-session.js';

/**
 * The console's API client: the same client as the fan app, with its own
 * stored session, so an operator signing in to the console on a shared
 * machine does not sign a fan out of the fan app (and the reverse).
 */
export const api = new ApiClient(localSessionStore('ticketgate.console.session'));

export function useUser(): PublicUser | null {
  return useSessionUser(api);
}

/** The roles the console is for; the server enforces each endpoint's own role and the operator's venues. */
export type ConsoleRole = 'operator' | 'admin';

export function consoleRole(user: PublicUser | null): ConsoleRole | null {
  return user?.role === 'operator' || user?.role === 'admin' ? user.role : null;
}

/**
 * An error as an operator should read it: the server's own message (it names
 * the hall, line or device at fault), where the fan app shows a friendlier
 * general sentence per code; the general sentence when the server said nothing.
 */
export function opsErrorText(err: unknown): string {
  if (err instanceof ApiError && err.code !== 'NETWORK' && err.code !== 'INTERNAL_ERROR' && err.message && !/^HTTP \d+$/.test(err.message))
    return err.message;
  if (err instanceof Error && !(err instanceof ApiError)) return err.message;
  return errorText(err);
}
