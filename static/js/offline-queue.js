// The queue of saves kept on the phone (issue 18), shared by the pages (static/js/offline.js) and the
// service worker (templates/offline/sw.js, through importScripts): one IndexedDB database, "kongtun-offline".
//
//   queue  one entry per save made with no network: {id, user, url, body, token, version, title,
//          createdAt, status, html, sentAt}. `body` is the form as sent (application/x-www-form-urlencoded),
//          `user` the id of the account that made it: a page shows and sends only its own user's entries.
//          status: "queued" (to send), "sending", "refused" (the server answered the form with errors:
//          `html` is its answer, the form with the values and the reasons), "conflict" (the record changed
//          on the server after the copy on the phone was taken: `html` is the server's page), "login" (the
//          session ended: sent after the next login).
//   meta   {key, value}: "owner" (the user whose pages the worker keeps), "csrf" (the last CSRF token a page
//          gave, for a background send).
//
// An entry leaves the queue only when the server has recorded it (it answered with a redirect to a page that
// is not the login page) or when the officer chose to drop it; nothing is dropped silently.
(function (root) {
  "use strict";

  var DB_NAME = "kongtun-offline";
  var SENDING_STALE_MS = 2 * 60 * 1000; // a send interrupted (tab closed) is retried after this

  function request(req) {
    return new Promise(function (resolve, reject) {
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
  }

  var opened = null;
  function open() {
    if (!opened) {
      var req = root.indexedDB.open(DB_NAME, 1);
      req.onupgradeneeded = function () {
        var db = req.result;
        var queue = db.createObjectStore("queue", { keyPath: "id", autoIncrement: true });
        queue.createIndex("user", "user");
        db.createObjectStore("meta", { keyPath: "key" });
      };
      opened = request(req);
    }
    return opened;
  }

  // Runs `work(store)` in one transaction on `name`; resolves with what work returned once committed.
  function withStore(name, mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(name, mode);
        var result;
        Promise.resolve(work(tx.objectStore(name))).then(function (value) { result = value; });
        tx.oncomplete = function () { resolve(result); };
        tx.onerror = function () { reject(tx.error); };
        tx.onabort = function () { reject(tx.error); };
      });
    });
  }

  function entries(user) {
    return withStore("queue", "readonly", function (store) {
      return request(store.index("user").getAll(String(user)));
    });
  }

  function add(entry) {
    entry.user = String(entry.user);
    entry.createdAt = entry.createdAt || Date.now();
    entry.status = "queued";
    return withStore("queue", "readwrite", function (store) { return request(store.add(entry)); });
  }

  function get(id) {
    return withStore("queue", "readonly", function (store) { return request(store.get(id)); });
  }

  function put(entry) {
    return withStore("queue", "readwrite", function (store) { return request(store.put(entry)); });
  }

  function remove(id) {
    return withStore("queue", "readwrite", function (store) { return request(store.delete(id)); });
  }

  function clearUser(user) {
    return entries(user).then(function (list) {
      return withStore("queue", "readwrite", function (store) {
        list.forEach(function (entry) { store.delete(entry.id); });
      });
    });
  }

  function getMeta(key) {
    return withStore("meta", "readonly", function (store) {
      return request(store.get(key)).then(function (row) { return row ? row.value : null; });
    });
  }

  function setMeta(key, value) {
    return withStore("meta", "readwrite", function (store) { return request(store.put({ key: key, value: value })); });
  }

  // Takes the entry for sending, in one transaction, so that a page and the worker sending at the same
  // moment do not both send it (the form's token would still record it once).
  function claim(id) {
    return withStore("queue", "readwrite", function (store) {
      return request(store.get(id)).then(function (entry) {
        if (!entry) return null;
        var stale = entry.status === "sending" && Date.now() - (entry.sendingAt || 0) > SENDING_STALE_MS;
        if (entry.status !== "queued" && entry.status !== "login" && !stale) return null;
        entry.status = "sending";
        entry.sendingAt = Date.now();
        store.put(entry);
        return entry;
      });
    });
  }

  function withCsrf(body, csrf) {
    var params = new URLSearchParams(body);
    if (csrf) params.set("csrfmiddlewaretoken", csrf);
    return params.toString();
  }

  // The version a page carries in data-offline-version (the visit report's last history record).
  function pageVersion(html) {
    var match = /data-offline-version="([^"]*)"/.exec(html);
    return match ? match[1] : null;
  }

  // Sends one claimed entry. Resolves with its new status: "sent", "refused", "conflict", "login", or
  // "queued" (no network: it stays for later).
  function sendOne(entry, options) {
    var finish = function (status, html) {
      if (status === "sent") return remove(entry.id).then(function () { return status; });
      entry.status = status;
      if (html !== undefined) entry.html = html;
      return put(entry).then(function () { return status; });
    };
    var check = Promise.resolve(null);
    if (entry.version) {
      // The record may have changed since the page was taken: compare its version first.
      check = fetch(entry.url, { credentials: "same-origin", cache: "no-store" }).then(function (response) {
        if (response.redirected && new URL(response.url).pathname === options.loginPath) return "login";
        if (!response.ok) return null; // the POST below gets the same refusal, with its reason
        return response.text().then(function (html) {
          var current = pageVersion(html);
          return current !== null && current !== entry.version ? { conflict: html } : null;
        });
      });
    }
    return check.then(function (outcome) {
      if (outcome === "login") return finish("login");
      if (outcome && outcome.conflict) return finish("conflict", outcome.conflict);
      return fetch(entry.url, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: withCsrf(entry.body, options.csrf),
      }).then(function (response) {
        if (response.redirected) {
          if (new URL(response.url).pathname === options.loginPath) return finish("login");
          return finish("sent");
        }
        // The form again, with the typed values and the reasons (or a 403/404 page): kept to correct.
        return response.text().then(function (html) { return finish("refused", html); });
      });
    }).catch(function () {
      return finish("queued"); // no network (or it dropped meanwhile): stays in the queue
    });
  }

  // Sends the user's queued entries, oldest first; stops at the first one the network does not take.
  // options: {csrf, loginPath}. Resolves with the count of each outcome. The page and the worker (on
  // Background Sync) take turns through a Web Lock: one send at a time, oldest entry first.
  function flush(user, options) {
    var locks = root.navigator && root.navigator.locks;
    if (locks) return locks.request("kongtun-queue", function () { return flushNow(user, options); });
    return flushNow(user, options);
  }

  function flushNow(user, options) {
    var counts = { sent: 0, refused: 0, conflict: 0, login: 0, queued: 0 };
    return entries(user).then(function (list) {
      list.sort(function (a, b) { return a.createdAt - b.createdAt; });
      var chain = Promise.resolve(true);
      list.forEach(function (item) {
        chain = chain.then(function (goOn) {
          if (!goOn) return false;
          return claim(item.id).then(function (entry) {
            if (!entry) return true;
            return sendOne(entry, options).then(function (status) {
              counts[status] += 1;
              return status !== "queued" && status !== "login";
            });
          });
        });
      });
      return chain;
    }).then(function () { return counts; });
  }

  root.KongtunQueue = {
    entries: entries, add: add, get: get, put: put, remove: remove, clearUser: clearUser,
    getMeta: getMeta, setMeta: setMeta, flush: flush, pageVersion: pageVersion,
  };
})(self);
