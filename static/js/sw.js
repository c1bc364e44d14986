// The service worker, served as /sw.js (scope /) by diary/pwa/views.py, which puts
// `self.DIARY_SHELL = {version, precache, logPage, offlinePage, outboxScript, icon}` above this
// text. A classic script: it loads the outbox with importScripts().
//
// What it stores: the versioned app shell (CSS, JS, icons, the offline and outbox pages) and,
// while someone is signed in, the blank log page. Never an /api/ answer, never the diary,
// trends or any page with diary data: health data stay off shared phones.
"use strict";

const SHELL = self.DIARY_SHELL;
importScripts(SHELL.outboxScript);

const SHELL_CACHE = `pain-diary-shell-${SHELL.version}`;
const PAGES_CACHE = "pain-diary-pages"; // the log page, tied to the person signed in
// On a bad connection ("lie-fi") the cached log page is shown after this long.
const LOG_PAGE_PATIENCE_MS = 4000;

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(SHELL_CACHE);
    // "no-cache": never a stale copy, but what the page has just loaded revalidates to a 304.
    await cache.addAll(SHELL.precache.map((url) => new Request(url, { cache: "no-cache" })));
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith("pain-diary-shell-") && name !== SHELL_CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

function cacheable(response) {
  return response && response.status === 200 && response.type === "basic" && !response.redirected;
}

function ownerOf(html) {
  const match = /<body[^>]*\sdata-user="([^"]+)"/.exec(html);
  return match ? match[1] : null;
}

async function rememberLogPage(response) {
  if (!cacheable(response)) return;
  const cache = await caches.open(PAGES_CACHE);
  await cache.put(SHELL.logPage, response);
}

// Called by the pages of a signed-in person: make sure the log page is there for them.
async function cacheLogPageFor(user) {
  const cache = await caches.open(PAGES_CACHE);
  const cached = await cache.match(SHELL.logPage);
  if (cached && ownerOf(await cached.text()) === user) return true;
  await cache.delete(SHELL.logPage);
  try {
    const response = await fetch(SHELL.logPage, { credentials: "same-origin", cache: "no-store" });
    if (cacheable(response) && ownerOf(await response.clone().text()) === user) {
      await cache.put(SHELL.logPage, response);
      return true;
    }
  } catch {
    // Offline: the next visit to the log page caches it.
  }
  return false;
}

function timeout(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms, null));
}

async function cachedPage(url) {
  if (url.pathname === SHELL.logPage) {
    // Any variant of the log page (e.g. ?same=1) falls back to the blank form.
    return (await caches.open(PAGES_CACHE)).match(SHELL.logPage);
  }
  if (SHELL.precache.includes(url.pathname)) return caches.match(url.pathname);
  return null;
}

// Navigations: the network first; the cached page (or /offline) when it cannot answer.
async function navigate(event, url) {
  const isLogPage = url.pathname === SHELL.logPage;
  const network = fetch(event.request).then(async (response) => {
    if (isLogPage && !url.search) {
      if (cacheable(response)) await rememberLogPage(response.clone());
      // Redirected to the sign-in page: the session is over, so is the cached copy.
      else if (response.type === "opaqueredirect") await caches.delete(PAGES_CACHE);
    }
    return response;
  });
  event.waitUntil(network.catch(() => null));
  const cached = await cachedPage(url);
  try {
    if (cached) {
      const first = await Promise.race([network, timeout(LOG_PAGE_PATIENCE_MS)]);
      return first || cached;
    }
    return await network;
  } catch {
    return cached || (await caches.match(SHELL.offlinePage)) || Response.error();
  }
}

self.addEventListener("fetch", (event) => {
  const { request } = event;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  // The API always goes to the network and is never stored.
  if (url.pathname.startsWith("/api/")) return;
  if (request.mode === "navigate") {
    event.respondWith(navigate(event, url));
  } else if (SHELL.precache.includes(url.pathname) && !url.search) {
    event.respondWith(caches.match(request).then((hit) => hit || fetch(request)));
  }
});

self.addEventListener("message", (event) => {
  const message = event.data || {};
  if (message.type === "signed-in" && typeof message.user === "string") {
    // The page hears back (on the port it sent) whether the log page is ready for offline use.
    const reply = event.ports[0];
    event.waitUntil(cacheLogPageFor(message.user).then((ready) => reply?.postMessage({ ready })));
  } else if (message.type === "signed-out") {
    event.waitUntil(caches.delete(PAGES_CACHE));
  }
});

// Background Sync (Chromium): send the outbox when the connection is back, even with no tab
// open. A rejection asks the browser to try again later.
self.addEventListener("sync", (event) => {
  if (event.tag !== self.PainDiaryOutbox.SYNC_TAG) return;
  event.waitUntil(self.PainDiaryOutbox.flush({ reconnected: true }).then((outcome) => {
    if (outcome.offline || outcome.retryIn !== null) throw new Error("some entries wait for a retry");
  }));
});

function samePath(value) {
  return typeof value === "string" && value.startsWith("/") && !value.startsWith("//") ? value : null;
}

// Reminders. The payload says nothing clinical (lock screens show it): a title and a body,
// where a tap leads, and how to snooze.
self.addEventListener("push", (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch {
    data = { body: event.data ? event.data.text() : "" };
  }
  const actions = [{ action: "log", title: "Log now" }];
  const snooze = data.snooze && samePath(data.snooze.url) && data.snooze.token ? data.snooze : null;
  if (snooze) {
    const offered = Array.isArray(data.actions) ? data.actions.find((a) => a.action === "snooze") : null;
    actions.push({ action: "snooze", title: (offered && offered.title) || "Remind me later" });
  }
  event.waitUntil(self.registration.showNotification(data.title || "Pain Diary", {
    body: data.body || "A moment for your diary?",
    icon: SHELL.icon,
    badge: SHELL.icon,
    tag: data.tag || "pain-diary-reminder",
    data: { url: samePath(data.url) || SHELL.logPage, snooze },
    actions,
  }));
});

async function openPage(path) {
  const target = new URL(path, self.location.origin).href;
  const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  const same = windows.find((client) => client.url === target);
  if (same) return same.focus();
  return self.clients.openWindow(target);
}

self.addEventListener("notificationclick", (event) => {
  const { notification } = event;
  notification.close();
  const { url, snooze } = notification.data || {};
  if (event.action === "snooze" && snooze) {
    event.waitUntil(fetch(snooze.url, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ token: snooze.token, minutes: snooze.minutes || 30 }),
    }).catch(() => null));
    return;
  }
  // "Log now", or a tap on the notification itself.
  event.waitUntil(openPage(url || SHELL.logPage));
});
