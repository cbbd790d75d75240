import { ApiClient, localSessionStore, type PublicUser } from '@ticketgate/ui/api';
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
