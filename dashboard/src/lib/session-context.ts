import { createContext, useContext } from 'react';
import type { ApiClient } from '../api/client.js';

/** The signed-in state: the API client bound to the key, and a way to sign out. */
export interface DashboardSession {
  readonly client: ApiClient;
  readonly signOut: () => void;
}

export const SessionContext = createContext<DashboardSession | null>(null);

export function useSession(): DashboardSession {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside a signed-in dashboard');
  return s;
}

export function useClient(): ApiClient {
  return useSession().client;
}
