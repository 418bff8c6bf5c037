import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { useSession } from '../session';
import { useAnnounce } from '../components/Announcer';
import { NAV } from './nav';

/** The signed-in frame: skip link, top navigation, the dealer, and the page in <main>. */
export function Layout({ title, children }: { title: string; children: ComponentChildren }) {
  const { session, logout } = useSession();
  const { path, route } = useLocation();
  const announce = useAnnounce();
  const main = useRef<HTMLElement>(null);

  // A new page: new document title, and focus to <main> so screen readers start there.
  useEffect(() => {
    document.title = `${title} · WatchTraderHub`;
  }, [title]);
  useEffect(() => {
    main.current?.focus({ preventScroll: true });
  }, [path]);

  return (
    <>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="topbar">
        <a class="brand" href="/integrations">
          WatchTraderHub
        </a>
        <nav aria-label="Main">
          <ul class="nav">
            {NAV.map((item) => {
              const active = item.match.some((m) => path === m || path.startsWith(`${m}/`));
              return (
                <li key={item.href}>
                  <a href={item.href} aria-current={active ? 'page' : undefined} class={active ? 'active' : undefined}>
                    {item.group ? <span class="nav-group">{item.group} ›</span> : null} {item.label}
                  </a>
                </li>
              );
            })}
          </ul>
        </nav>
        <div class="account">
          <span class="dealer-name">{session?.dealer.name}</span>
          <button
            type="button"
            class="button button-small"
            onClick={async () => {
              await logout();
              announce('Logged out.');
              route('/login');
            }}
          >
            Log out
          </button>
        </div>
      </header>
      <main id="main" ref={main} tabIndex={-1}>
        {children}
      </main>
    </>
  );
}
