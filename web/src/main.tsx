import { money } from '@ticketgate/ui/time';
import { render } from 'preact';
import { useEffect } from 'preact/hooks';
import { Link, match, navigate, usePath } from './router.js';
import { Login, Register } from './screens/auth.js';
import { Chat } from './screens/chat.js';
import { Credits } from './screens/credits.js';
import { EventPage } from './screens/event.js';
import { Events } from './screens/events.js';
import { Pay } from './screens/pay.js';
import { TicketPage, Tickets } from './screens/tickets.js';
import { StartTransfer, TransferPage, Transfers } from './screens/transfers.js';
import { api, useUser } from './session.js';
import { forgetPasses } from './device-pass.js';
import type { JSX } from 'preact';

// The server answers these paths with index.html (APP_PAGES in sync-server/src/plugins/web-app.ts): keep the two lists together.
type Route = [pattern: string, view: (p: Record<string, string>) => JSX.Element, needsLogin: boolean];

const ROUTES: Route[] = [
  ['/', () => <Events />, false],
  ['/login', () => <Login />, false],
  ['/register', () => <Register />, false],
  ['/events/:id', (p) => <EventPage id={p.id!} />, false],
  ['/tickets', () => <Tickets />, true],
  ['/tickets/:id', (p) => <TicketPage seatId={p.id!} />, true],
  ['/tickets/:id/transfer', (p) => <StartTransfer seatId={p.id!} />, true],
  ['/credits', () => <Credits />, true],
  ['/credits/pay', () => <Pay />, true],
  ['/transfers', () => <Transfers />, true],
  ['/transfers/:id', (p) => <TransferPage id={p.id!} />, true],
  ['/help', () => <Chat />, true],
];

const NAV = [
  ['/', 'Events'],
  ['/tickets', 'Tickets'],
  ['/credits', 'Credits'],
  ['/transfers', 'Transfers'],
  ['/help', 'Help'],
] as const;

function App() {
  const path = usePath();
  const user = useUser();
  let view: JSX.Element = <p>Page not found.</p>;
  let login = false;
  for (const [pattern, make, needsLogin] of ROUTES) {
    const params = match(pattern, path);
    if (params) {
      view = make(params);
      login = needsLogin;
      break;
    }
  }
  useEffect(() => {
    if (login && !user) navigate(`/login?next=${encodeURIComponent(path)}`, true);
  }, [login, user, path]);
  useEffect(() => {
    document.getElementById('screen-title')?.focus({ preventScroll: true });
    scrollTo(0, 0);
  }, [path]);

  const section = `/${path.split('/')[1] ?? ''}`;
  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <Link href="/" class="brand">
          TicketGate
        </Link>
        {user ? (
          <span class="who">
            <Link href="/credits" aria-label={`Credits: ${money(user.credit_balance)}`}>
              {money(user.credit_balance)}
            </Link>
            <button type="button" class="link" onClick={() => void logOut()}>
              Log out
            </button>
          </span>
        ) : (
          <Link href="/login">Log in</Link>
        )}
      </header>
      {user ? (
        <nav class="tabs" aria-label="Main">
          {NAV.map(([href, label]) => (
            <Link
              key={href}
              href={href}
              aria-current={(href === '/' ? section === '/' || section === '/events' : section === href) ? 'page' : undefined}
            >
              {label}
            </Link>
          ))}
        </nav>
      ) : null}
      <main id="main">{login && !user ? null : view}</main>
    </>
  );
}

/** Logging out also forgets this browser's ticket passes (only here: a session lost offline must not take them). */
async function logOut(): Promise<void> {
  await forgetPasses().catch(() => {});
  await api.logout();
  navigate('/login');
}

const root = document.getElementById('app')!;
root.textContent = ''; // the "Loading…" placeholder
render(<App />, root);

// Offline support: the app shell and the tickets list (public/sw.js).
if ('serviceWorker' in navigator && location.protocol !== 'file:') {
  void navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(() => {});
  api.onSession((u) => {
    if (!u) navigator.serviceWorker.controller?.postMessage({ type: 'logout' });
  });
}
