// The participant's pages, installable and offline (docs/portal.md, "Installable and offline").
//
// On every participant page while online: registers the service worker (/me/sw.js), fetches
// the session's device key (/me/offline/key/) and keeps it in IndexedDB as a non-extractable
// AES-GCM CryptoKey, stores the offline page (/me/offline/) encrypted with it, and sends what
// is waiting. On the offline page, the diary card and practice forms are saved encrypted in
// the queue and sent with an Idempotency-Key when the connection is back, so a retry never
// stores twice. Sign-out deletes the key, the queue, the stored page and the worker's cache,
// after a confirm when something is still waiting.
//
// Only the static files the offline page needs are cached in plain form (no health
// information). Every entry and the offline page are encrypted; the key is not readable
// from IndexedDB (non-extractable) and is deleted at sign-out.
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script || !window.indexedDB || !window.crypto || !window.crypto.subtle) return;
  var URLS = {
    sw: script.dataset.sw,
    scope: script.dataset.scope,
    key: script.dataset.key,
    page: script.dataset.page,
  };
  var DB_NAME = "trellis-offline";
  var DB_VERSION = 1;
  var STATIC_CACHE = "trellis-static-v1";
  var SENT_KEPT_MS = 24 * 60 * 60 * 1000; // "sent at …" is shown for a day, then forgotten
  var PAGE_FRESH_MS = 10 * 60 * 1000;
  var session = { kid: null, owner: null, csrf: null, signedOut: false };
  var flushing = null;
  var waitingCount = 0; // entries of this person not sent yet, as last read

  // --- IndexedDB -----------------------------------------------------------------------

  function openDb() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open(DB_NAME, DB_VERSION);
      request.onupgradeneeded = function () {
        var db = request.result;
        ["keys", "queue", "pages", "meta"].forEach(function (name) {
          if (!db.objectStoreNames.contains(name)) {
            db.createObjectStore(name, { keyPath: name === "keys" ? "kid" : name === "queue" ? "id" : "name" });
          }
        });
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function run(store, mode, work) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(store, mode);
        var result = work(tx.objectStore(store));
        tx.oncomplete = function () {
          db.close();
          resolve(result && "result" in result ? result.result : undefined);
        };
        tx.onerror = function () { db.close(); reject(tx.error); };
        tx.onabort = function () { db.close(); reject(tx.error); };
      });
    });
  }

  function get(store, key) { return run(store, "readonly", function (s) { return s.get(key); }); }
  function all(store) { return run(store, "readonly", function (s) { return s.getAll(); }); }
  function put(store, value) { return run(store, "readwrite", function (s) { s.put(value); }); }
  function remove(store, key) { return run(store, "readwrite", function (s) { s.delete(key); }); }
  function clearStore(store) { return run(store, "readwrite", function (s) { s.clear(); }); }

  // --- Encryption (AES-GCM, a fresh 96-bit IV for every record) -------------------------

  function fromBase64(text) {
    var bytes = atob(text);
    var out = new Uint8Array(bytes.length);
    for (var i = 0; i < bytes.length; i++) out[i] = bytes.charCodeAt(i);
    return out;
  }

  function encrypt(key, value) {
    var iv = crypto.getRandomValues(new Uint8Array(12));
    var plain = new TextEncoder().encode(typeof value === "string" ? value : JSON.stringify(value));
    return crypto.subtle.encrypt({ name: "AES-GCM", iv: iv }, key, plain).then(function (ct) {
      return { iv: iv, ct: ct };
    });
  }

  function decrypt(key, record) {
    return crypto.subtle.decrypt({ name: "AES-GCM", iv: record.iv }, key, record.ct).then(function (plain) {
      return JSON.parse(new TextDecoder().decode(plain));
    });
  }

  function keyFor(kid) {
    return get("keys", kid).then(function (found) { return found ? found.key : null; });
  }

  // --- The session's key ----------------------------------------------------------------

  // Asks the server for the session's key. Resolves true when signed in (the key is stored),
  // false when the session has ended (401, or the sign-in page after the idle timeout).
  function fetchKey() {
    return fetch(URLS.key, { credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" } })
      .then(function (response) {
        var json = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
        if (response.status >= 500) throw new Error("server-error");
        if (!response.ok || !json || response.redirected) {
          session.signedOut = response.status === 401 || response.redirected || !json;
          return null;
        }
        return response.json();
      })
      .then(function (data) {
        if (!data) return false;
        session.signedOut = false;
        session.csrf = data.csrf;
        return get("meta", "current").then(function (current) {
          var steps = Promise.resolve();
          if (current && current.owner !== data.owner) {
            // Someone else signed in on this browser: the previous person's entries, key and
            // page are deleted, never sent under this sign-in.
            steps = wipe(false);
          }
          return steps
            .then(function () { return get("keys", data.kid); })
            .then(function (known) {
              if (known) return null;
              return crypto.subtle
                .importKey("raw", fromBase64(data.key), { name: "AES-GCM" }, false, ["encrypt", "decrypt"])
                .then(function (key) { return put("keys", { kid: data.kid, key: key, owner: data.owner }); });
            })
            .then(function () { return put("meta", { name: "current", kid: data.kid, owner: data.owner }); })
            .then(function () {
              session.kid = data.kid;
              session.owner = data.owner;
              return true;
            });
        });
      });
  }

  function current() {
    if (session.kid) return Promise.resolve({ kid: session.kid, owner: session.owner });
    return get("meta", "current").then(function (found) {
      if (found) {
        session.kid = found.kid;
        session.owner = found.owner;
      }
      return found || null;
    });
  }

  // --- The offline page and its static files ---------------------------------------------

  // The stored copy is brought up to date when it is missing, made with an earlier session's
  // key, or more than ten minutes old: each copy is an audited read of the record.
  function storePageIfOld() {
    return get("pages", "offline").then(function (page) {
      if (page && page.kid === session.kid && Date.now() - page.saved_at < PAGE_FRESH_MS) return null;
      return storePage();
    });
  }

  function storePage() {
    return fetch(URLS.page, { credentials: "same-origin", cache: "no-store", headers: { Accept: "text/html" } })
      .then(function (response) {
        if (!response.ok || response.redirected) return null;
        var csp = response.headers.get("Content-Security-Policy");
        return response.text().then(function (html) { return { html: html, csp: csp }; });
      })
      .then(function (fetched) {
        if (!fetched || !session.kid) return null;
        return keyFor(session.kid).then(function (key) {
          if (!key) return null;
          return encrypt(key, fetched.html).then(function (sealed) {
            return put("pages", { name: "offline", kid: session.kid, iv: sealed.iv, ct: sealed.ct, csp: fetched.csp, saved_at: Date.now() });
          }).then(function () { return cacheStatic(fetched.html); });
        });
      });
  }

  // The offline page's own styles, scripts and icons: nothing else is put in the cache.
  function cacheStatic(html) {
    if (!window.caches) return Promise.resolve();
    var doc = new DOMParser().parseFromString(html, "text/html");
    var urls = [];
    doc.querySelectorAll("link[rel=stylesheet][href], link[rel=icon][href], link[rel=apple-touch-icon][href], script[src]").forEach(function (el) {
      var url = new URL(el.getAttribute("href") || el.getAttribute("src"), location.href);
      if (url.origin === location.origin && urls.indexOf(url.pathname) < 0) urls.push(url.pathname);
    });
    return caches.open(STATIC_CACHE).then(function (cache) { return cache.addAll(urls); });
  }

  // --- The queue ---------------------------------------------------------------------------

  function newId() {
    if (crypto.randomUUID) return crypto.randomUUID().replace(/-/g, "");
    var bytes = crypto.getRandomValues(new Uint8Array(16));
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function enqueue(item) {
    return current().then(function (now) {
      if (!now) throw new Error("no key");
      return keyFor(now.kid).then(function (key) {
        if (!key) throw new Error("no key");
        return encrypt(key, item).then(function (sealed) {
          var id = newId();
          return put("queue", {
            id: id, kid: now.kid, owner: now.owner, state: "waiting",
            created_at: Date.now(), sent_at: null, iv: sealed.iv, ct: sealed.ct,
          }).then(function () { return id; });
        });
      });
    });
  }

  // This person's entries, oldest first; keeps `waitingCount` for the sign-out's confirm.
  function mine() {
    return Promise.all([current(), all("queue")]).then(function (both) {
      var now = both[0];
      var rows = (both[1] || []).filter(function (row) { return now && row.owner === now.owner; })
        .sort(function (a, b) { return a.created_at - b.created_at; });
      waitingCount = rows.filter(function (r) { return r.state === "waiting"; }).length;
      return rows;
    });
  }

  function detailOf(body) {
    if (!body || !body.detail) return "";
    if (typeof body.detail === "string") return body.detail;
    return body.detail.map(function (d) { return (d.field ? d.field + ": " : "") + (d.message || d.msg || ""); }).join(" ");
  }

  // Sends one entry. Resolves "sent", "refused", "signed-out", "server-error" or "offline".
  function sendOne(row) {
    return keyFor(row.kid).then(function (key) {
      if (!key) return "refused";
      return decrypt(key, row).then(function (item) {
        return fetch(item.url, {
          method: "POST",
          credentials: "same-origin",
          headers: { "Content-Type": "application/json", Accept: "application/json", "Idempotency-Key": row.id, "X-CSRFToken": session.csrf || "" },
          body: JSON.stringify(item.payload),
        }).then(function (response) {
          if (response.status === 401 || response.status === 403) return "signed-out";
          return response.json().catch(function () { return null; }).then(function (body) {
            // Try again later, with the same key; not on a timer (see flush).
            if (response.status >= 500) return "server-error";
            var ok = response.status === 200 || response.status === 201;
            var result = { label: item.label, kind: item.kind, created: ok ? !!(body && body.created) : false, urgent: !!(body && body.urgent), message: ok ? "" : detailOf(body) };
            return encrypt(key, result).then(function (sealed) {
              row.iv = sealed.iv;
              row.ct = sealed.ct; // the answers are gone from the device once sent
              row.state = ok ? "sent" : "refused";
              row.sent_at = Date.now();
              return put("queue", row).then(function () { return row.state; });
            });
          });
        }, function () { return "offline"; });
      });
    });
  }

  // Sends what is waiting, oldest first; stops at the first entry that cannot get through.
  // While something still waits (no connection, a server error), tries again after 5 s,
  // then 10 s, 20 s… up to every 2 minutes, and at once when the browser says it is online:
  // a browser's "online" is not always told (a page opened offline may think it is online).
  function flush() {
    if (flushing) return flushing;
    var stopped = null;
    flushing = fetchKey()
      .then(function (signedIn) {
        if (!signedIn) {
          stopped = session.signedOut ? "signed-out" : "offline";
          return null;
        }
        return mine().then(function (rows) {
          var waiting = rows.filter(function (r) { return r.state === "waiting"; });
          return waiting.reduce(function (chain, row) {
            return chain.then(function (stop) {
              if (stop) return stop;
              return sendOne(row).then(function (outcome) {
                return outcome === "sent" || outcome === "refused" ? null : outcome;
              });
            });
          }, Promise.resolve(null)).then(function (stop) { stopped = stop; });
        });
      })
      .catch(function (error) {
        stopped = error && error.message === "server-error" ? "server-error" : "offline";
      })
      .then(function () { return prune(); })
      .then(function () { return mine(); })
      .then(function (rows) {
        var left = rows.filter(function (r) { return r.state === "waiting"; }).length;
        // Only a request that never reached the server is tried again on a timer: one that
        // did (a server error) waits for the next page or the browser's "online", so that an
        // open page never keeps a session alive past the idle timeout.
        retry(left > 0 && stopped === "offline");
      }, function () { return null; })
      .then(function () { flushing = null; return render(); });
    return flushing;
  }

  var RETRY_FIRST_MS = 5000;
  var RETRY_MAX_MS = 120000;
  var retryMs = RETRY_FIRST_MS;
  var retryTimer = null;

  function retry(again) {
    if (retryTimer) window.clearTimeout(retryTimer);
    retryTimer = null;
    if (!again) {
      retryMs = RETRY_FIRST_MS;
      return;
    }
    retryTimer = window.setTimeout(function () { retryTimer = null; flush(); }, retryMs);
    retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
  }

  function backOnline() {
    retryMs = RETRY_FIRST_MS;
    flush();
  }

  // Forgets what was sent more than a day ago, and the keys of earlier sessions that no
  // entry still needs.
  function prune() {
    var limit = Date.now() - SENT_KEPT_MS;
    return all("queue").then(function (rows) {
      var old = (rows || []).filter(function (r) { return r.state !== "waiting" && r.sent_at < limit; });
      var kept = (rows || []).filter(function (r) { return old.indexOf(r) < 0; });
      return Promise.all(old.map(function (r) { return remove("queue", r.id); }))
        .then(function () { return Promise.all([all("keys"), get("pages", "offline")]); })
        .then(function (found) {
          var page = found[1];
          return Promise.all((found[0] || []).filter(function (k) {
            return k.kid !== session.kid && !(page && page.kid === k.kid) &&
              !kept.some(function (r) { return r.kid === k.kid; });
          }).map(function (k) { return remove("keys", k.kid); }));
        });
    });
  }

  // Deletes everything this script kept; at sign-out also the worker's registration.
  function wipe(signingOut) {
    var steps = ["keys", "queue", "pages", "meta"].map(clearStore);
    if (window.caches) {
      steps.push(caches.keys().then(function (names) { return Promise.all(names.map(function (n) { return caches.delete(n); })); }));
    }
    return Promise.all(steps).then(function () {
      session.kid = null;
      session.owner = null;
      if (signingOut && navigator.serviceWorker && navigator.serviceWorker.getRegistrations) {
        return navigator.serviceWorker.getRegistrations().then(function (regs) {
          return Promise.all(regs.map(function (r) { return r.unregister(); }));
        });
      }
      return null;
    });
  }

  // --- What the participant sees ---------------------------------------------------------

  // The words, translated, from the script tag (portal/_head.html).
  var T = {
    waiting: script.dataset.tWaiting,
    sent: script.dataset.tSent,
    duplicate: script.dataset.tDuplicate,
    refused: script.dataset.tRefused,
    signIn: script.dataset.tSignIn,
    banner: script.dataset.tBanner,
    confirmOne: script.dataset.tConfirmOne,
    confirmMany: script.dataset.tConfirmMany,
    remove: script.dataset.tRemove,
    diary: script.dataset.tDiary,
    noKey: script.dataset.tNoKey,
    urgent: script.dataset.tUrgent,
  };

  function time(ms) {
    return new Date(ms).toLocaleTimeString([], { hour: "numeric", minute: "2-digit" });
  }

  function render() {
    return mine().then(function (rows) {
      var page = document.getElementById("offline-queue");
      if (!page) return banner(rows);
      return Promise.resolve().then(function () {
        return Promise.all(rows.map(function (row) {
          return keyFor(row.kid).then(function (key) {
            return key ? decrypt(key, row).catch(function () { return null; }) : null;
          }).then(function (item) { return { row: row, item: item }; });
        }));
      }).then(function (shown) {
        var list = page.querySelector("[data-queue-list]");
        var empty = page.querySelector("[data-queue-empty]");
        list.textContent = "";
        shown.forEach(function (s) {
          if (!s.item) return;
          var li = document.createElement("li");
          li.className = "portal-queued " + s.row.state;
          li.dataset.state = s.row.state;
          var title = document.createElement("strong");
          title.textContent = s.item.label;
          var text = document.createElement("span");
          if (s.row.state === "waiting") text.textContent = session.signedOut ? T.waiting + " " + T.signIn : T.waiting;
          else if (s.row.state === "sent") text.textContent = (s.item.created === false && s.item.kind === "diary" ? T.duplicate : T.sent).replace("%s", time(s.row.sent_at));
          else text.textContent = T.refused.replace("%s", s.item.message || "");
          li.appendChild(title);
          li.appendChild(document.createTextNode(" "));
          li.appendChild(text);
          if (s.row.state === "sent" && s.item.urgent) {
            // A risk rule of the card fired: the team is told; the crisis numbers are below.
            var urgent = document.createElement("a");
            urgent.className = "portal-queued-urgent";
            urgent.href = "#crisis";
            urgent.textContent = T.urgent;
            li.appendChild(document.createTextNode(" "));
            li.appendChild(urgent);
          }
          if (s.row.state === "refused") {
            var button = document.createElement("button");
            button.type = "button";
            button.className = "button secondary";
            button.textContent = T.remove;
            button.addEventListener("click", function () { remove("queue", s.row.id).then(render); });
            li.appendChild(button);
          }
          list.appendChild(li);
        });
        empty.hidden = list.children.length > 0;
      });
    });
  }

  // On the other participant pages: a line at the top when something is waiting.
  function banner(rows) {
    var waiting = rows.filter(function (r) { return r.state === "waiting"; }).length;
    var existing = document.getElementById("offline-banner");
    if (!waiting) {
      if (existing) existing.remove();
      return;
    }
    var main = document.getElementById("main");
    if (!main) return;
    if (!existing) {
      existing = document.createElement("p");
      existing.id = "offline-banner";
      existing.className = "message portal-offline-banner";
      existing.setAttribute("role", "status");
      var link = document.createElement("a");
      link.href = URLS.page;
      existing.appendChild(link);
      main.insertBefore(existing, main.firstChild);
    }
    existing.firstChild.textContent = T.banner.replace("%s", String(waiting));
  }

  // --- Forms on the offline page -----------------------------------------------------------

  // The program's day (its zone, not the phone's), as YYYY-MM-DD.
  function programToday() {
    var root = document.getElementById("offline-page");
    var zone = root && root.dataset.zone;
    try {
      return new Intl.DateTimeFormat("en-CA", { timeZone: zone || undefined, year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date());
    } catch (e) {
      return new Date().toISOString().slice(0, 10);
    }
  }

  function diaryPayload(form) {
    var checklists = (form.dataset.checklists || "").split(",").filter(Boolean);
    var answers = {};
    new FormData(form).forEach(function (value, key) {
      if (key === "card_on") return;
      if (checklists.indexOf(key) >= 0) {
        (answers[key] = answers[key] || []).push(value);
      } else if (value !== "") {
        answers[key] = value;
      }
    });
    var day = programToday();
    return { payload: { card_on: day, answers: answers }, label: T.diary.replace("%s", day) };
  }

  // A skill: how it went and what happened. A worksheet: its answers, read as the worksheet's
  // own page reads them (practice.views.assignments._answers_from_post): a table's rows that
  // have something in them, yes/no as true/false, anything else as text; empty left out.
  function practicePayload(form) {
    var data = new FormData(form);
    var day = data.get("practiced_on") || programToday();
    var label = (form.dataset.title || "") + ", " + day;
    if (!form.dataset.fields) {
      return {
        payload: { practiced_on: day, rating: Number(data.get("rating")), what_happened: data.get("what_happened") || "" },
        label: label,
      };
    }
    var text = function (name) { return String(data.get(name) || "").trim(); };
    var answers = {};
    JSON.parse(form.dataset.fields).forEach(function (field) {
      if (field.type === "table") {
        var rows = [];
        for (var i = 0; i < field.rows; i++) {
          var row = {};
          field.columns.forEach(function (column) {
            var value = text(field.key + "__" + i + "__" + column);
            if (value) row[column] = value;
          });
          if (Object.keys(row).length) rows.push(row);
        }
        answers[field.key] = rows;
      } else if (field.type === "yesno") {
        var yesno = text(field.key);
        if (yesno === "yes" || yesno === "no") answers[field.key] = yesno === "yes";
      } else if (text(field.key)) {
        answers[field.key] = text(field.key);
      }
    });
    return { payload: { practiced_on: day, answers: answers }, label: label };
  }

  function wireForms() {
    document.querySelectorAll("form[data-offline-form]").forEach(function (form) {
      var day = form.querySelector("input[name=practiced_on]");
      if (day && !day.value) {
        day.value = programToday();
        day.max = day.value;
      }
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        var built = form.dataset.offlineForm === "diary" ? diaryPayload(form) : practicePayload(form);
        enqueue({ kind: form.dataset.offlineForm, url: form.dataset.url, payload: built.payload, label: built.label })
          .then(function () {
            form.reset();
            if (day) day.value = programToday();
            return render();
          })
          .then(function () {
            var queue = document.getElementById("offline-queue");
            if (queue) queue.scrollIntoView();
            return flush();
          })
          .catch(function () {
            window.alert(T.noKey);
          });
      });
    });
  }

  // --- Sign-out ---------------------------------------------------------------------------

  // With something waiting: a confirm, then everything deleted before the form goes. With
  // nothing waiting: the form goes at once (sign-out is never held up) while the deletion
  // runs, and the sign-out answer's Clear-Site-Data deletes it all again.
  function wireSignOut() {
    document.querySelectorAll("form[data-sign-out]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (form.dataset.cleared === "true") return;
        if (!waitingCount) {
          wipe(true).catch(function () { return null; });
          return;
        }
        event.preventDefault();
        var waiting = waitingCount;
        if (!window.confirm(waiting === 1 ? T.confirmOne : T.confirmMany.replace("%s", String(waiting)))) {
          return;
        }
        wipe(true).catch(function () { return null; }).then(function () {
          form.dataset.cleared = "true";
          form.submit();
        });
      });
    });
  }

  // --- Start ------------------------------------------------------------------------------

  function start() {
    wireSignOut();
    wireForms();
    window.addEventListener("online", backOnline);
    window.addEventListener("offline", render);
    var ready = Promise.resolve();
    if (navigator.onLine && document.body.dataset.signedIn === "true") {
      if (navigator.serviceWorker) {
        navigator.serviceWorker.register(URLS.sw, { scope: URLS.scope }).catch(function () { return null; });
      }
      ready = fetchKey().then(function (signedIn) {
        // The stored copy is always fetched from its own address (the page in hand may be
        // another page, or the stored copy itself, served by the worker).
        return signedIn ? storePageIfOld() : null;
      }).catch(function () { return null; }).then(flush);
    } else {
      ready = render().then(flush);
    }
    ready.catch(function () { return null; }).then(function () {
      document.documentElement.dataset.offlineReady = "true";
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
