// Who is signed in: the session the cookie names (GET /v1/auth/session), its role, and the
// actions that start or end one. The CSRF token it carries goes to the fetch layer (api/http.ts).
import type { AuthSession, InviteAccept, SignupRequest } from '@curio/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useContext, type ReactNode } from 'react';
import { api, ApiError, setCsrfToken } from '../api/http.js';

export type Session = AuthSession;

export const SESSION_KEY = ['session'] as const;

async function loadSession(): Promise<Session | null> {
  try {
    return adopt(await api.get<Session>('/v1/auth/session'));
  } catch (e) {
    if (e instanceof ApiError && (e.status === 401 || e.status === 404)) {
      setCsrfToken(null);
      return null;
    }
    throw e;
  }
}

function adopt(session: Session): Session {
  setCsrfToken(session.csrfToken);
  return session;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: (s: Session | null) => ReactNode }) {
  const query = useQuery({ queryKey: SESSION_KEY, queryFn: loadSession, staleTime: Infinity });
  if (query.isPending) return <p className="loading">Loading…</p>;
  const session = query.data ?? null;
  return <SessionContext.Provider value={session}>{children(session)}</SessionContext.Provider>;
}

/** The signed-in session (inside the signed-in layout, where there always is one). */
export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside a signed-in page');
  return s;
}

/** Owners and members start, cancel and change things; viewers only look. */
export function useCanWrite(): boolean {
  return useSession().role !== 'viewer';
}

/** signup / login / invite accept / login link: each answers a session. */
export function useSessionActions() {
  const client = useQueryClient();
  const start = (s: Session) => {
    client.setQueryData(SESSION_KEY, adopt(s));
    return s;
  };
  return {
    signup: async (input: SignupRequest) =>
      start(await api.post<Session>('/v1/auth/signup', input)),
    login: async (email: string, password: string) =>
      start(await api.post<Session>('/v1/auth/login', { email, password })),
    acceptInvite: async (token: string, input: InviteAccept) =>
      start(await api.post<Session>(`/v1/invites/${encodeURIComponent(token)}/accept`, input)),
    redeemLoginLink: async (token: string) =>
      start(await api.post<Session>(`/v1/auth/login-links/${encodeURIComponent(token)}/redeem`)),
    logout: async () => {
      await api.post('/v1/auth/logout');
      setCsrfToken(null);
      client.clear();
      client.setQueryData(SESSION_KEY, null);
    },
  };
}
