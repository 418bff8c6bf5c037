import { createContext, type ComponentChildren } from 'preact';
import { useCallback, useContext, useEffect, useMemo, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { ApiError, setCsrfToken, setUnauthorizedHandler } from './api/client';
import * as dashboard from './api/dashboard';
import type { DashboardSession } from './api/types';

interface SessionState {
  /** undefined while the first /session check runs; null when logged out. */
  session: DashboardSession | null | undefined;
  login(email: string, password: string): Promise<void>;
  logout(): Promise<void>;
}

const SessionContext = createContext<SessionState | null>(null);

export function useSession(): SessionState {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside <SessionProvider>');
  return s;
}

/** `/login?next=<where the dealer was>`; the login page sends them back there. */
export function loginUrl(next: string): string {
  return next && next !== '/' && !next.startsWith('/login') ? `/login?next=${encodeURIComponent(next)}` : '/login';
}

/** Only same-site paths: `next` comes from the URL, so an open redirect must be impossible. */
export function safeNext(next: string | undefined): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/';
}

export function SessionProvider({ children }: { children: ComponentChildren }) {
  const [session, setSession] = useState<DashboardSession | null | undefined>(undefined);
  const location = useLocation();

  const adopt = useCallback((s: DashboardSession | null) => {
    setCsrfToken(s?.csrf_token ?? null);
    setSession(s);
  }, []);

  useEffect(() => {
    dashboard.getSession().then(adopt, (err: unknown) => {
      if (err instanceof ApiError && err.status === 401) adopt(null);
      else adopt(null);
    });
  }, [adopt]);

  // Any 401 from the API (an expired session) ends the session here and goes to login,
  // remembering the page the dealer was on.
  useEffect(() => {
    setUnauthorizedHandler(() => {
      adopt(null);
      const here = window.location.pathname + window.location.search;
      if (!here.startsWith('/login')) location.route(loginUrl(here), true);
    });
    return () => setUnauthorizedHandler(null);
  }, [adopt, location]);

  const value = useMemo<SessionState>(
    () => ({
      session,
      async login(email, password) {
        adopt(await dashboard.login(email, password));
      },
      async logout() {
        try {
          await dashboard.logout();
        } finally {
          adopt(null);
        }
      },
    }),
    [session, adopt],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}
