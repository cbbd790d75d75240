// The fan app's service worker. The build fills in the version and the shell file list below.
// App shell: cached at install, served cache-first (the bundles are content-hashed).
// Tickets list: network first, the last good answer when offline.
// Everything else (seat maps, codes, payments) goes to the network only:
// a rotating code or a seat status from a cache would be wrong.
const VERSION = '__VERSION__';
const SHELL = __SHELL__; /* global __SHELL__ -- replaced by the build */
const SHELL_CACHE = `shell-${VERSION}`;
const DATA_CACHE = 'tickets-v1';

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(SHELL_CACHE)
      .then((c) => c.addAll(SHELL))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('shell-') && k !== SHELL_CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

// Logging out forgets the cached tickets list.
self.addEventListener('message', (event) => {
  if (event.data && event.data.type === 'logout') event.waitUntil(caches.delete(DATA_CACHE));
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname === '/api/tickets') {
    event.respondWith(
      fetch(req)
        .then((res) => {
          if (res.ok) {
            const copy = res.clone();
            void caches.open(DATA_CACHE).then((c) => c.put(url.pathname, copy));
          }
          return res;
        })
        .catch(() =>
          caches
            .open(DATA_CACHE)
            .then((c) => c.match(url.pathname))
            .then((hit) => hit || Response.error()),
        ),
    );
    return;
  }
  if (url.pathname.startsWith('/api/') || url.pathname.startsWith('/docs') || url.pathname === '/health') return;
  // The operator console is online-only and not part of the fan app's shell.
  if (url.pathname === '/console' || url.pathname.startsWith('/console/') || url.pathname.startsWith('/console-')) return;
  // App pages: the network when it answers, the cached shell when offline.
  if (req.mode === 'navigate') {
    event.respondWith(fetch(req).catch(() => caches.match('/index.html')));
    return;
  }
  event.respondWith(caches.match(url.pathname).then((hit) => hit || fetch(req)));
});
