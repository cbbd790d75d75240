import { ApiClient, localSessionStore, type PublicUser } from '@ticketgate/ui/api';
import { useSessionUser } from './use-session.js';

/** The app's one API client; the session survives reloads through the refresh token in localStorage. */
export const api = new ApiClient(localSessionStore());

export function useUser(): PublicUser | null {
  return useSessionUser(api);
}
