// Parley's service worker (issue #17): keeps the dashboard's shell so the installed app starts without the network
// and says it is offline rather than showing a browser error, and shows the Web Push notifications the server sends.
// Scope /app/: it never sees the chat box, the API answers are never cached (they change and they are private).
const SHELL = 'parley-shell-v1';
const PRECACHE = ['/app/', '/app/app.css', '/app/js/main.js', '/app/manifest.json', '/app/icons/icon.svg',
  '/app/icons/icon-192.png', '/vendor/preact.module.js', '/vendor/hooks.module.js', '/vendor/htm.module.js'];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(SHELL).then((c) => c.addAll(PRECACHE)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k.startsWith('parley-') && k !== SHELL).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

function shellFile(url) {
  return url.origin === self.location.origin && (url.pathname.startsWith('/app/') || url.pathname.startsWith('/vendor/'));
}

// Network first, so an upgraded Parley is used at once; the cached copy only when the network fails.
self.addEventListener('fetch', (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (req.method !== 'GET' || !shellFile(url)) return;
  event.respondWith((async () => {
    const cache = await caches.open(SHELL);
    try {
      const res = await fetch(req);
      if (res.ok && res.type === 'basic') cache.put(req.mode === 'navigate' ? '/app/' : req, res.clone());
      return res;
    } catch (e) {
      const hit = await cache.match(req.mode === 'navigate' ? '/app/' : req, { ignoreSearch: true });
      if (hit) return hit;
      throw e;
    }
  })());
});

// The page tells which modules it loaded, so that the next start without network finds all of them.
self.addEventListener('message', (event) => {
  const data = event.data || {};
  if (data.type !== 'cache-shell' || !Array.isArray(data.urls)) return;
  const urls = data.urls.filter((u) => { try { return shellFile(new URL(u)); } catch { return false; } });
  event.waitUntil(caches.open(SHELL).then((c) => Promise.all(urls.map((u) => c.match(u).then((hit) => hit || c.add(u).catch(() => {}))))));
});

self.addEventListener('push', (event) => {
  let n = {};
  try { n = event.data ? event.data.json() : {}; } catch { n = { body: event.data ? event.data.text() : '' }; }
  const title = typeof n.title === 'string' && n.title ? n.title : 'Parley';
  event.waitUntil(self.registration.showNotification(title, {
    body: typeof n.body === 'string' ? n.body : '',
    tag: typeof n.tag === 'string' ? n.tag : undefined,
    renotify: typeof n.tag === 'string',
    icon: '/app/icons/icon-192.png',
    badge: '/app/icons/icon-192.png',
    data: { url: typeof n.url === 'string' && n.url.startsWith('/app/') ? n.url : '/app/' },
  }));
});

// Tapping a notification opens its conversation: in a dashboard window already open if there is one.
self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const url = new URL((event.notification.data && event.notification.data.url) || '/app/', self.location.origin).href;
  event.waitUntil((async () => {
    const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
    for (const w of windows) {
      if (new URL(w.url).pathname.startsWith('/app/')) {
        // The dashboard routes by its hash: the open window switches conversation without reloading.
        w.postMessage({ type: 'open', url });
        return w.focus();
      }
    }
    return self.clients.openWindow(url);
  })());
});
