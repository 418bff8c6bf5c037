import type { ComponentChildren } from 'preact';
import { useEffect } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { loginUrl, useSession } from '../session';

/** Pages behind login: logged-out visitors go to /login?next=<this page>. */
export function RequireSession({ children }: { children: ComponentChildren }) {
  const { session } = useSession();
  const { url, route } = useLocation();
  useEffect(() => {
    if (session === null) route(loginUrl(url), true);
  }, [session, url, route]);
  if (!session) {
    return (
      <p class="loading" aria-busy="true">
        Loading…
      </p>
    );
  }
  return <>{children}</>;
}
