import type { ApiClient, PublicUser } from '@ticketgate/ui/api';
import { useEffect, useState } from 'preact/hooks';

/** The signed-in user of an API client, re-rendering on log-in and log-out (the fan app and the console each have their own client). */
export function useSessionUser(api: ApiClient): PublicUser | null {
  const [user, setUser] = useState(api.user);
  useEffect(() => api.onSession(setUser), [api]);
  return user;
}
