{% load i18n %}// Trellis's service worker for the participant's pages (scope {{ scope|escapejs }}); docs/portal.md,
// "Installable and offline". It caches no page and no API answer. It does two things:
// - when a page under its scope cannot be reached (no connection), it shows the offline page
//   that portal/offline.js stored on the device, encrypted with the session's key (the key is
//   a non-extractable CryptoKey in the same IndexedDB); without that copy, a short page with
//   the crisis numbers;
// - it answers the static files the offline page needs (styles, scripts, icons) from the
//   cache portal/offline.js filled, only when the network does not answer.
"use strict";

const SCOPE = "{{ scope|escapejs }}";
const STATIC_URL = "{{ static_url|escapejs }}";
const DB_NAME = "trellis-offline";
const STATIC_CACHE = "trellis-static-v1";
const FALLBACK_TITLE = "{% translate 'No connection' as t %}{{ t|escapejs }}";
const FALLBACK_TEXT = "{% translate 'This page needs a connection. Your safety plan is not saved on this phone yet: open Trellis once while you are online.' as t %}{{ t|escapejs }}";
const FALLBACK_HELP = "{% translate 'Need help now? Call or text 988, any time. In an emergency call 911 or go to the nearest emergency room.' as t %}{{ t|escapejs }}";
const DEFAULT_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
  "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

self.addEventListener("install", () => self.skipWaiting());

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(names.filter((n) => n !== STATIC_CACHE).map((n) => caches.delete(n))),
      )
      .then(() => self.clients.claim()),
  );
});

function openDb() {
  return new Promise((resolve) => {
    let request;
    try {
      request = indexedDB.open(DB_NAME);
    } catch (e) {
      resolve(null);
      return;
    }
    request.onupgradeneeded = () => {
      // The page creates the stores; a worker that finds none has nothing to show.
      request.transaction.abort();
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => resolve(null);
  });
}

function read(db, store, key) {
  return new Promise((resolve) => {
    if (!db.objectStoreNames.contains(store)) {
      resolve(undefined);
      return;
    }
    const request = db.transaction(store).objectStore(store).get(key);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => resolve(undefined);
  });
}

async function storedPage() {
  const db = await openDb();
  if (!db) return null;
  try {
    const page = await read(db, "pages", "offline");
    if (!page) return null;
    const key = await read(db, "keys", page.kid);
    if (!key) return null;
    const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv: page.iv }, key.key, page.ct);
    return {
      html: new TextDecoder().decode(plain),
      csp: page.csp || DEFAULT_CSP,
    };
  } catch (e) {
    return null; // the key is gone or the copy is damaged: show the fallback
  } finally {
    db.close();
  }
}

function escapeHtml(text) {
  return text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
}

async function offlineResponse() {
  const page = await storedPage();
  const headers = {
    "Content-Type": "text/html; charset=utf-8",
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
  };
  if (page) {
    headers["Content-Security-Policy"] = page.csp;
    return new Response(page.html, { status: 200, headers });
  }
  headers["Content-Security-Policy"] = DEFAULT_CSP;
  const body =
    '<!doctype html><html><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    "<title>" + escapeHtml(FALLBACK_TITLE) + "</title></head><body>" +
    "<h1>" + escapeHtml(FALLBACK_TITLE) + "</h1><p>" + escapeHtml(FALLBACK_TEXT) + "</p>" +
    '<p><a href="tel:988">988</a> · <a href="tel:911">911</a></p>' +
    "<p>" + escapeHtml(FALLBACK_HELP) + "</p></body></html>";
  return new Response(body, { status: 200, headers });
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate" && url.pathname.startsWith(SCOPE)) {
    // The network first, always; never stored. No connection: the offline copy (for a
    // form posted without a connection too, rather than the browser's error page).
    event.respondWith(fetch(request).catch(() => offlineResponse()));
    return;
  }
  if (request.method !== "GET") return; // other writes (the API) go to the network as they are
  if (url.pathname.startsWith(STATIC_URL)) {
    event.respondWith(
      fetch(request).catch(() =>
        caches
          .open(STATIC_CACHE)
          .then((cache) => cache.match(request, { ignoreSearch: true }))
          .then((found) => found || Response.error()),
      ),
    );
  }
  // Everything else (API calls, the device key, other pages) is not touched.
});
