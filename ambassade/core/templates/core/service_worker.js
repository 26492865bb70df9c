// Ambassade's service worker: the app shell offline, nothing personal kept.
// Pages are always asked of the network; when it cannot be reached, a navigation gets the
// offline page. Static files and icons are served from the cache and refreshed behind.
// API answers and pages' HTML are never stored.
"use strict";
const CACHE = "__CACHE_VERSION__";
const SHELL = {{ shell|safe }};
const OFFLINE = {{ offline|safe }};
// Static names carry a hash of their content in production: a cached copy is then never
// stale. Without hashes (development), each copy is refreshed behind the answer.
const REFRESH = {{ refresh|safe }};

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(names.filter((n) => n !== CACHE).map((n) => caches.delete(n))))
      .then(() => self.clients.claim()),
  );
});

function fromCache(request) {
  return caches.open(CACHE).then((cache) =>
    cache.match(request).then((hit) => {
      if (!hit) return fetch(request).then((response) => {
        if (response.ok) cache.put(request, response.clone());
        return response;
      });
      if (REFRESH) {
        fetch(request)
          .then((response) => (response.ok ? cache.put(request, response) : undefined))
          .catch(() => undefined);
      }
      return hit;
    }),
  );
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(() => caches.match(OFFLINE)));
    return;
  }
  if (url.pathname.startsWith("/static/") || SHELL.includes(url.pathname)) {
    event.respondWith(fromCache(request));
  }
  // Everything else (the API, media, personal data) goes to the network as usual.
});

// Web push (push/sender.py): the message is {title, body, url, tag}, already in the
// person's language. A message that cannot be read still shows something, as browsers
// require for every push.
self.addEventListener("push", (event) => {
  let message = {};
  try {
    message = event.data ? event.data.json() : {};
  } catch (error) {
    message = { body: event.data ? event.data.text() : "" };
  }
  event.waitUntil(
    self.registration.showNotification(message.title || "Ambassade", {
      body: message.body || "",
      tag: message.tag,
      icon: SHELL.find((url) => url.endsWith(".png")),
      data: { url: message.url || "/" },
    }),
  );
});

// A tap on the notification opens its page: in a window of ours already open if there
// is one, else in a new one. Only our own origin's addresses are opened.
self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const target = new URL(event.notification.data?.url || "/", self.location.origin);
  const url = target.origin === self.location.origin ? target.href : self.location.origin + "/";
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then((windows) => {
      const open = windows.find((client) => client.url === url && "focus" in client);
      if (open) return open.focus();
      return self.clients.openWindow(url);
    }),
  );
});
