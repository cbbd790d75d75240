import { ApiClient, localSessionStore, type PublicUser } from '@ticketgate/ui/api';
import { useEffect, useState } from 'preact/hooks';

/** The app's one API client; the session survives reloads through the refresh token in localStorage. */
export const api = new ApiClient(localSessionStore());

export function useUser(): PublicUser | null {
  const [user, setUser] = useState(api.user);
  useEffect(() => api.onSession(setUser), []);
  return user;
}
