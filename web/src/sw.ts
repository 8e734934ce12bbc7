/// <reference lib="webworker" />
// The service worker: the app shell precached for offline use (Workbox, manifest injected by
// vite-plugin-pwa), pushed notifications shown, and a tap on one opening the page it links to.
import { createHandlerBoundToURL, precacheAndRoute, cleanupOutdatedCaches } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { clientsClaim } from 'workbox-core';

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: Array<{ url: string; revision: string | null }> };

self.skipWaiting();
clientsClaim();
cleanupOutdatedCaches();
precacheAndRoute(self.__WB_MANIFEST);
// Every page of the app is the same shell; the server's own paths are never answered from cache.
registerRoute(new NavigationRoute(createHandlerBoundToURL('/index.html'), {
  denylist: [/^\/api\//, /^\/media\//, /^\/ws/, /^\/docs/, /^\/metrics/, /^\/healthz/, /^\/readyz/],
}));

interface PushPayload { id?: number; type?: string; title?: string; body?: string; link?: string }

self.addEventListener('push', (event) => {
  let data: PushPayload = {};
  try {
    data = event.data?.json() ?? {};
  } catch {
    data = { title: 'aimoviez', body: event.data?.text() ?? '' };
  }
  event.waitUntil(self.registration.showNotification(data.title ?? 'aimoviez', {
    body: data.body ?? '',
    icon: '/icon-192.png',
    badge: '/icon-192.png',
    tag: data.id ? `notification-${data.id}` : undefined,
    data: { link: data.link || '/notifications' },
  }));
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const link = new URL((event.notification.data as { link?: string })?.link ?? '/notifications', self.location.origin);
  // Only pages of this app: a payload can never send the person elsewhere.
  const target = link.origin === self.location.origin ? link.href : self.location.origin + '/notifications';
  event.waitUntil((async () => {
    const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
    for (const client of windows) {
      if ('focus' in client) {
        await client.focus();
        await (client as WindowClient).navigate(target);
        return;
      }
    }
    await self.clients.openWindow(target);
  })());
});
