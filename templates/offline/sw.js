{% autoescape off %}// Kongtun's service worker (issue 18), served by offline.views.service_worker at /sw.js (scope /).
//
// What it keeps, in the Cache API (separate from the browser's HTTP cache, which personal pages keep off
// with Cache-Control: no-store):
//   kongtun-static-<version>  the app shell (CONFIG.shell, under the static files' hashed names) and any
//                             other static file once loaded: served from the cache first.
//   kongtun-pages             the offline pages (CONFIG.pages: collection sheets, repayment forms, visit
//                             report forms) the officer opened: network first, the copy when there is no
//                             network. Kept for CONFIG.maxAgeDays at most, for one user (the "owner" the pages
//                             name); cleared at logout and when another user logs in.
// Every other request goes to the network untouched (the worker does not answer it). The queue of saves made with no network is in IndexedDB
// (static/js/offline-queue.js, shared with the pages); this worker sends it on Background Sync.
"use strict";

const CONFIG = {{ config }};
const STATIC_CACHE = "kongtun-static-" + CONFIG.version;
const PAGES_CACHE = "kongtun-pages";
const CACHED_AT = "X-Kongtun-Cached-At";
const pagePatterns = CONFIG.pages.map((pattern) => new RegExp(pattern));

importScripts(CONFIG.queueScript);

function isOfflinePage(url) {
  return url.origin === self.location.origin && pagePatterns.some((pattern) => pattern.test(url.pathname));
}

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(STATIC_CACHE).then((cache) => cache.addAll(CONFIG.shell)).then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(
        names.filter((name) => name.startsWith("kongtun-static-") && name !== STATIC_CACHE)
          .map((name) => caches.delete(name))
      ))
      .then(expirePages)
      .then(() => self.clients.claim())
  );
});

// Drops the pages kept longer than CONFIG.maxAgeDays.
async function expirePages() {
  const cache = await caches.open(PAGES_CACHE);
  const limit = Date.now() - CONFIG.maxAgeDays * 24 * 60 * 60 * 1000;
  for (const request of await cache.keys()) {
    const response = await cache.match(request);
    if (!response || Number(response.headers.get(CACHED_AT) || 0) < limit) await cache.delete(request);
  }
}

// Keeps a copy of an offline page for the current owner, stamped with when it was taken.
async function keepPage(request, response) {
  const owner = await KongtunQueue.getMeta("owner");
  if (!owner || response.status !== 200 || response.redirected || response.type !== "basic") return;
  const headers = new Headers(response.headers);
  headers.set(CACHED_AT, String(Date.now()));
  const body = await response.blob();
  const cache = await caches.open(PAGES_CACHE);
  await cache.put(request.url, new Response(body, { status: 200, headers: headers }));
}

function offlineFallback() {
  const html = "<!doctype html><meta charset=utf-8><meta name=viewport content='width=device-width'>"
    + "<title>" + CONFIG.offlineTitle + "</title><h1>" + CONFIG.offlineTitle + "</h1><p>" + CONFIG.offlineText;
  return new Response(html, { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
}

async function pageFromNetworkOrCache(event) {
  try {
    const response = await fetch(event.request);
    event.waitUntil(keepPage(event.request, response.clone()));
    return response;
  } catch (error) {
    await expirePages();
    const cached = await caches.match(event.request.url, { cacheName: PAGES_CACHE, ignoreVary: true });
    return cached || offlineFallback();
  }
}

// Static files: under hashed names (production) a name is never reused, so the cache answers first; without
// (development, tests) the network answers first and the cache only with no network.
async function staticFile(request) {
  if (!CONFIG.hashedStatic) {
    try {
      const response = await fetch(request);
      if (response.ok) {
        const copy = response.clone();
        caches.open(STATIC_CACHE).then((cache) => cache.put(request, copy));
      }
      return response;
    } catch (error) {
      const cached = await caches.match(request, { ignoreVary: true });
      if (cached) return cached;
      throw error;
    }
  }
  const cached = await caches.match(request, { ignoreVary: true });
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok && response.type === "basic") {
    const copy = response.clone();
    caches.open(STATIC_CACHE).then((cache) => cache.put(request, copy));
  }
  return response;
}

// Logging out forgets the pages kept on this phone (the page clears its user's queue first).
async function logout(request) {
  await caches.delete(PAGES_CACHE);
  await KongtunQueue.setMeta("owner", null);
  return fetch(request);
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === "POST" && url.pathname === CONFIG.logoutPath) {
    event.respondWith(logout(request));
  } else if (request.method !== "GET") {
    return; // saves go to the network (offline.js queues them when there is none)
  } else if (request.mode === "navigate" && isOfflinePage(url)) {
    // Only the offline pages: every other page, download or export goes to the network untouched.
    event.respondWith(pageFromNetworkOrCache(event));
  } else if (url.pathname.startsWith(CONFIG.staticPrefix)) {
    event.respondWith(staticFile(request));
  }
});

// Messages from the pages (static/js/offline.js).
self.addEventListener("message", (event) => {
  const data = event.data || {};
  const reply = (value) => event.ports[0] && event.ports[0].postMessage(value);
  if (data.type === "owner") {
    // The user the pages belong to: another user's pages are forgotten at once.
    event.waitUntil((async () => {
      const owner = await KongtunQueue.getMeta("owner");
      if (owner !== data.user) {
        await caches.delete(PAGES_CACHE);
        await KongtunQueue.setMeta("owner", data.user);
      }
      if (data.csrf) await KongtunQueue.setMeta("csrf", data.csrf);
      await expirePages();
      reply({ owner: data.user });
    })());
  } else if (data.type === "keep-page") {
    // A page the worker did not keep as it passed: fetched once more, unless a copy is already there (the
    // copies of another user are gone by now: the "owner" message comes first).
    const url = new URL(data.url);
    if (!isOfflinePage(url)) return reply({ kept: false });
    event.waitUntil((async () => {
      try {
        const cache = await caches.open(PAGES_CACHE);
        if (!(await cache.match(url.href, { ignoreVary: true }))) {
          await keepPage(new Request(url.href), await fetch(url.href, { credentials: "same-origin" }));
        }
        reply({ kept: true });
      } catch (error) {
        reply({ kept: false });
      }
    })());
  }
});

// Background Sync (where the browser has it): the queue is sent when the network returns, page open or not.
self.addEventListener("sync", (event) => {
  if (event.tag !== "kongtun-queue") return;
  event.waitUntil((async () => {
    const owner = await KongtunQueue.getMeta("owner");
    if (!owner) return;
    const csrf = await KongtunQueue.getMeta("csrf");
    const counts = await KongtunQueue.flush(owner, { csrf: csrf, loginPath: CONFIG.loginPath });
    const clients = await self.clients.matchAll({ type: "window" });
    clients.forEach((client) => client.postMessage({ type: "queue-changed", counts: counts }));
  })());
});
{% endautoescape %}
