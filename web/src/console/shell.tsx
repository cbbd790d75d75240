import type { JSX } from 'preact';
import { useEffect } from 'preact/hooks';
import { Link, match, usePath } from '../router.js';
import { api, consoleRole, useUser, type ConsoleRole } from './api.js';
import { ConsoleLogin } from './login.js';
import { ScopeProvider, useScope } from './scope.js';
import { VIEWS, type ConsoleView } from './views.js';

/** The view a path shows, with its params; null when no row of VIEWS matches. */
export function resolveView(path: string): { view: ConsoleView; params: Record<string, string> } | null {
  for (const view of VIEWS) {
    const params = match(view.path, path);
    if (params) return { view, params };
  }
  return null;
}

function ScopeLine() {
  const scope = useScope();
  if (!scope.loaded) return null;
  const names = scope.venues.map((v) => v.name).join(', ');
  return <span class="scope-line">{scope.venues.length ? `Venues: ${names}` : 'No venues assigned'}</span>;
}

function Nav({ role, path }: { role: ConsoleRole; path: string }) {
  return (
    <nav class="console-nav" aria-label="Console">
      <ul>
        {VIEWS.filter((v) => v.nav && v.roles.includes(role)).map((v) => (
          <li key={v.path}>
            <Link href={v.path} aria-current={v.path === path ? 'page' : undefined}>
              {v.title}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** Header, menu and the current view; the log-in when nobody (or a non-operator) is signed in. */
export function ConsoleShell() {
  const path = usePath();
  const user = useUser();
  const role = consoleRole(user);
  const found = resolveView(path);
  useEffect(() => {
    document.title = `${found?.view.title ?? 'Not found'} · TicketGate console`;
    document.getElementById('screen-title')?.focus({ preventScroll: true });
  }, [path, role]);

  let body: JSX.Element;
  if (!role) body = <ConsoleLogin />;
  else if (!found) body = <p>There is no console page here.</p>;
  else if (!found.view.roles.includes(role)) body = <p>This page is for {found.view.roles.join(' or ')} accounts.</p>;
  else body = found.view.component(found.params);

  const page = (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <Link href="/console" class="brand">
          TicketGate console
        </Link>
        {role && user ? (
          <span class="who">
            <ScopeLine />
            <span>
              {user.name || user.email} ({role})
            </span>
            <button type="button" class="link" onClick={() => void api.logout()}>
              Log out
            </button>
          </span>
        ) : null}
      </header>
      <div class="console-body">
        {role ? <Nav role={role} path={path} /> : null}
        <main id="main">{body}</main>
      </div>
    </>
  );
  return role ? <ScopeProvider key={user!.user_id}>{page}</ScopeProvider> : page;
}
