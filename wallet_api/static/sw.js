// The wallet's service worker: keeps the page and the holder's own certificates on the
// device so the wallet keeps working offline. Network first (fresh status when online),
// the saved copy when the network fails. The page deletes "wallet-data" at logout and
// before a new wallet is opened, so one holder's certificates never show for another.
"use strict";

const SHELL = "wallet-shell-v1";
const DATA = "wallet-data";
const SHELL_URLS = ["/wallet/", "/wallet/app.js", "/wallet/app.css"];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(SHELL).then((cache) => cache.addAll(SHELL_URLS)));
  self.skipWaiting();
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith("wallet-shell-") && name !== SHELL) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

function offlineCopy(response) {
  const headers = new Headers(response.headers);
  headers.set("X-Wallet-Offline", "1");
  return new Response(response.body, { status: response.status, headers });
}

async function networkFirst(request, cacheName) {
  try {
    const response = await fetch(request);
    if (response.ok) {
      const cache = await caches.open(cacheName);
      await cache.put(request, response.clone());
    }
    return response;
  } catch (networkError) {
    const saved = await caches.match(request, { cacheName });
    if (saved) return cacheName === DATA ? offlineCopy(saved) : saved;
    throw networkError;
  }
}

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== self.location.origin) return;
  if (SHELL_URLS.includes(url.pathname)) {
    event.respondWith(networkFirst(event.request, SHELL));
  } else if (url.pathname.startsWith("/wallet/api/certificates")) {
    event.respondWith(networkFirst(event.request, DATA));
  }
});
