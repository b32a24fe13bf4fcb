// Offline capture on the pages (issue 18). Every page: registers the service worker (/sw.js), tells it
// whose pages it keeps, shows "waiting to send (n)" with a "send now" button while saves wait on this phone,
// sends them when the network returns, and warns before a logout would delete unsent saves.
// On a form kept for offline use (form[data-offline]: collection sheet, repayment form, visit report form):
// a save with no network goes to the queue (static/js/offline-queue.js) instead of failing; a save the
// server refused comes back with its values; a report changed on the server meanwhile shows both versions.
// The texts are the page's own (templates/includes/offline_*.html), translated by Django.
(function () {
  "use strict";

  var bar = document.getElementById("offline-bar");
  if (!bar || !window.indexedDB || !window.KongtunQueue) return;
  var Queue = window.KongtunQueue;
  var user = bar.dataset.user;
  var USED_TOKENS = "kongtun:used-tokens";
  var options = { loginPath: bar.dataset.loginPath, csrf: null };

  function csrfToken() {
    var match = /(?:^|;\s*)csrftoken=([^;]+)/.exec(document.cookie);
    return match ? decodeURIComponent(match[1]) : null;
  }
  options.csrf = csrfToken();

  function text(id) {
    var element = document.getElementById(id);
    return element ? element.textContent.trim() : "";
  }

  function show(id, visible) {
    var element = document.getElementById(id);
    if (element) element.hidden = !visible;
  }

  // --- the service worker -------------------------------------------------------------------------------
  function toWorker(message) {
    if (!("serviceWorker" in navigator)) return Promise.resolve(null);
    return navigator.serviceWorker.ready.then(function (registration) {
      return new Promise(function (resolve) {
        var channel = new MessageChannel();
        channel.port1.onmessage = function (event) { resolve(event.data); };
        registration.active.postMessage(message, [channel.port2]);
      });
    });
  }

  var form = document.querySelector("form[data-offline]");
  var workerReady = Promise.resolve(null);
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(bar.dataset.worker, { scope: "/" }).catch(function () {});
    if (user) {
      workerReady = toWorker({ type: "owner", user: user, csrf: options.csrf }).then(function () {
        // A page the worker could not keep as it passed (the first visit, before the worker controlled the
        // page; the first page after a login, before the worker knew whose it is) is fetched once more.
        if (form && form.dataset.offlineMethod === "GET") {
          return toWorker({ type: "keep-page", url: location.href });
        }
        return null;
      });
    }
    navigator.serviceWorker.addEventListener("message", function (event) {
      if (event.data && event.data.type === "queue-changed") {
        refresh(event.data.counts).then(function () { if (form) showProblems(); });
      }
    });
  }
  workerReady.then(function () { document.documentElement.dataset.offlineReady = "1"; });

  // --- the status bar: waiting to send (n) ----------------------------------------------------------------
  function refresh(counts) {
    if (!user) return Promise.resolve([]);
    counts = counts || { sent: 0 };
    return Queue.entries(user).then(function (list) {
      return settleEmptyConflicts(list, counts);
    }).then(function (list) {
      var waiting = list.filter(function (e) { return e.status !== "refused" && e.status !== "conflict"; });
      var problems = list.filter(function (e) { return e.status === "refused" || e.status === "conflict"; });
      document.getElementById("offline-count").textContent = String(waiting.length);
      show("offline-waiting", waiting.length > 0);
      show("offline-send-now", waiting.length > 0 && navigator.onLine);
      show("offline-login", list.some(function (e) { return e.status === "login"; }));
      show("offline-no-network", !navigator.onLine);
      var problemList = document.getElementById("offline-problem-list");
      problemList.textContent = "";
      problems.forEach(function (entry) {
        var item = document.createElement("li");
        var link = document.createElement("a");
        link.href = entry.url;
        link.textContent = entry.title || entry.url;
        item.appendChild(link);
        problemList.appendChild(item);
      });
      show("offline-problems", problems.length > 0);
      if (counts && counts.sent) {
        document.getElementById("offline-sent-count").textContent = String(counts.sent);
        show("offline-sent", true);
      }
      bar.hidden = !(list.length || !navigator.onLine || (counts && counts.sent));
      document.documentElement.dataset.offlineWaiting = String(waiting.length);
      return list;
    });
  }

  var flushing = null;
  function sendNow() {
    if (!user || !navigator.onLine) return refresh();
    if (!flushing) {
      options.csrf = csrfToken();
      flushing = Queue.flush(user, options).then(function (counts) {
        flushing = null;
        return refresh(counts).then(function () {
          if (form) showProblems();
          return counts;
        });
      });
    }
    return flushing;
  }

  document.getElementById("offline-send-now").addEventListener("click", sendNow);
  window.addEventListener("online", sendNow);
  window.addEventListener("offline", function () { refresh(); });

  // --- the form's token ---------------------------------------------------------------------------------
  // A token already used by a save (sent or queued) is replaced: a page kept on the phone carries the token
  // of the day it was taken, and a second payment from it must not pass for the first one sent again.
  function usedTokens() {
    try { return JSON.parse(localStorage.getItem(USED_TOKENS) || "[]"); } catch (error) { return []; }
  }

  function markUsed(token) {
    if (!token) return;
    var tokens = usedTokens().filter(function (t) { return t !== token; });
    tokens.push(token);
    try { localStorage.setItem(USED_TOKENS, JSON.stringify(tokens.slice(-200))); } catch (error) { /* full */ }
  }

  function newUuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  function tokenField(target) { return target.querySelector("input[name=token]"); }

  if (form && tokenField(form) && form.dataset.offlineMethod === "GET" && usedTokens().indexOf(tokenField(form).value) >= 0) {
    tokenField(form).value = newUuid();
  }

  // --- saving with no network ---------------------------------------------------------------------------
  var correcting = null; // the refused entry whose values are back in the form

  function queueSave(target, submitter) {
    var body = new URLSearchParams(new FormData(target, submitter)).toString();
    var token = tokenField(target);
    var entry = {
      user: user,
      url: location.pathname + location.search,
      body: body,
      token: token ? token.value : null,
      version: target.dataset.offlineVersion || null,
      title: document.title.split(" · ")[0],
    };
    var previous = correcting ? Queue.remove(correcting) : Promise.resolve();
    correcting = null;
    return previous.then(function () { return Queue.add(entry); }).then(function () {
      if (navigator.storage && navigator.storage.persist) navigator.storage.persist().catch(function () {});
      if ("serviceWorker" in navigator) {
        navigator.serviceWorker.ready.then(function (registration) {
          if (registration.sync) return registration.sync.register("kongtun-queue");
          return null;
        }).catch(function () {});
      }
      show("offline-refused", false);
      show("offline-queued", true);
      document.getElementById("offline-queued").scrollIntoView({ block: "center" });
      return refresh();
    });
  }

  document.addEventListener("submit", function (event) {
    var target = event.target;
    if (target.matches(bar.dataset.logoutSelector)) return logout(event);
    if (!target.hasAttribute("data-offline")) return;
    var token = tokenField(target);
    if (token) markUsed(token.value);
    if (navigator.onLine) {
      if (correcting) {
        // Sent now from the corrected form: the entry leaves the queue, its values are in the form.
        event.preventDefault();
        Queue.remove(correcting).then(function () { correcting = null; target.submit(); });
      }
      return;
    }
    event.preventDefault();
    queueSave(target, event.submitter);
  });

  // --- a save the server refused: its values come back to correct -----------------------------------------
  function pageEntries() {
    var here = location.pathname + location.search;
    return Queue.entries(user).then(function (list) {
      return list.filter(function (e) { return e.url === here; });
    });
  }

  function parse(html) { return new DOMParser().parseFromString(html || "", "text/html"); }

  function reasons(doc) {
    var found = Array.prototype.map.call(
      doc.querySelectorAll("#form-errors div, .invalid-feedback"), function (e) { return e.textContent.trim(); }
    ).filter(Boolean);
    if (!found.length) {
      var main = doc.querySelector("main h1, h1"); // a page that is not the form: a 403 or a 404
      if (main) found.push(main.textContent.trim());
    }
    return found.filter(function (value, index) { return found.indexOf(value) === index; });
  }

  function fill(target, body) {
    var params = new URLSearchParams(body);
    Array.prototype.forEach.call(target.elements, function (element) {
      if (!element.name || element.name === "csrfmiddlewaretoken" || !params.has(element.name)) {
        if (element.type === "checkbox" && element.name) element.checked = false;
        return;
      }
      var values = params.getAll(element.name);
      if (element.type === "checkbox" || element.type === "radio") element.checked = values.indexOf(element.value) >= 0;
      else if (element.multiple) Array.prototype.forEach.call(element.options, function (o) { o.selected = values.indexOf(o.value) >= 0; });
      else element.value = values[0];
    });
  }

  function showRefused(entry) {
    var list = document.getElementById("offline-refused-reasons");
    list.textContent = "";
    reasons(parse(entry.html)).forEach(function (reason) {
      var item = document.createElement("li");
      item.textContent = reason;
      list.appendChild(item);
    });
    show("offline-refused", true);
    document.getElementById("offline-correct").onclick = function () {
      // The server's form, with the values and the reasons by each field, when it sent one back.
      var returned = parse(entry.html).querySelector("form[data-offline]");
      if (returned) {
        var copy = document.importNode(returned, true);
        form.replaceWith(copy);
        form = copy;
      }
      fill(form, entry.body);
      correcting = entry.id;
      show("offline-refused", false);
      form.scrollIntoView();
    };
  }

  // --- a record changed on the server meanwhile: both versions, the officer chooses -------------------------
  function fieldLabel(doc, name) {
    var element = doc.querySelector("[name='" + name.replace(/'/g, "") + "']");
    var label = element && element.id ? doc.querySelector("label[for='" + element.id + "']") : null;
    return label ? label.textContent.trim() : name;
  }

  function asObject(params) {
    var result = {};
    params.forEach(function (value, key) {
      if (key === "csrfmiddlewaretoken") return;
      result[key] = result[key] === undefined ? value : [].concat(result[key], value);
    });
    return result;
  }

  function record(entry, kept, mine, theirs) {
    return fetch(bar.dataset.choices, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() || "" },
      body: JSON.stringify({ path: location.pathname, kept: kept, phone: mine, server: theirs }),
    }).then(function (response) {
      if (!response.ok) throw new Error(String(response.status));
    });
  }

  // The phone's values, the server's (its form as it is now) and, for each field where they differ, its
  // label and both values; null when the server's answer holds no form.
  function differences(entry) {
    var doc = parse(entry.html);
    var serverForm = doc.querySelector("form[data-offline]");
    if (!serverForm) return null;
    var mine = asObject(new URLSearchParams(entry.body));
    var theirs = asObject(new URLSearchParams(new FormData(serverForm)));
    var fields = Object.keys(Object.assign({}, theirs, mine)).filter(function (name) {
      if (/-(TOTAL|INITIAL|MIN_NUM|MAX_NUM)_FORMS$/.test(name)) return false;
      return JSON.stringify(mine[name] || "") !== JSON.stringify(theirs[name] || "");
    });
    var rows = fields.map(function (name) { return [fieldLabel(doc, name), theirs[name] || "", mine[name] || ""]; });
    return { mine: mine, theirs: theirs, rows: rows };
  }

  // A conflict with nothing to choose: the server already holds the phone's values (the same save sent
  // twice, the first answer lost on the way, so the second found the record changed by the first). It is
  // sent: dropped from the queue and counted with the saves sent.
  function settleEmptyConflicts(list, counts) {
    var settled = list.filter(function (entry) {
      var found = entry.status === "conflict" ? differences(entry) : null;
      return found !== null && found.rows.length === 0;
    });
    if (!settled.length) return Promise.resolve(list);
    counts.sent += settled.length;
    return Promise.all(settled.map(function (entry) { return Queue.remove(entry.id); })).then(function () {
      return list.filter(function (entry) { return settled.indexOf(entry) < 0; });
    });
  }

  function showConflict(entry) {
    var found = differences(entry);
    if (!found) return showRefused(entry);
    if (!found.rows.length) return; // nothing to choose: refresh settles it as sent
    var mine = found.mine, theirs = found.theirs;
    var rows = document.getElementById("offline-conflict-rows");
    rows.textContent = "";
    found.rows.forEach(function (values) {
      var row = document.createElement("tr");
      values.forEach(function (value) {
        var cell = document.createElement("td");
        cell.className = "text-prewrap";
        cell.textContent = [].concat(value).join(", ");
        row.appendChild(cell);
      });
      rows.appendChild(row);
    });
    show("offline-conflict", true);
    document.getElementById("offline-keep-mine").onclick = function () {
      record(entry, "mine", mine, theirs).then(function () {
        entry.version = Queue.pageVersion(entry.html); // the officer has seen this version: send over it
        entry.status = "queued";
        entry.html = null;
        return Queue.put(entry);
      }).then(function () {
        show("offline-conflict", false);
        return sendNow();
      }).then(function (counts) {
        if (counts && counts.sent) location.reload();
      });
    };
    document.getElementById("offline-keep-server").onclick = function () {
      record(entry, "server", mine, theirs).then(function () { return Queue.remove(entry.id); })
        .then(function () { location.reload(); });
    };
  }

  function showProblems() {
    if (!user) return Promise.resolve();
    return pageEntries().then(function (list) {
      var problem = list.filter(function (e) { return e.status === "refused" || e.status === "conflict"; })[0];
      if (!problem || problem.id === correcting) return;
      if (problem.status === "conflict") showConflict(problem);
      else showRefused(problem);
    });
  }

  // --- logging out --------------------------------------------------------------------------------------
  function logout(event) {
    var target = event.target;
    event.preventDefault();
    Queue.entries(user).then(function (list) {
      if (list.length) {
        var question = bar.dataset.confirmLogout.replace("%(count)s", String(list.length));
        if (!window.confirm(question)) return;
      }
      // Nothing of this user stays on the phone: the queue, and the pages kept (the worker also forgets
      // them when it sees the logout).
      return Queue.clearUser(user)
        .then(function () { return window.caches ? caches.delete("kongtun-pages") : null; })
        .then(function () { return Queue.setMeta("owner", null); })
        .catch(function () {})
        .then(function () { target.submit(); });
    }, function () { target.submit(); });
  }

  // --- on load ------------------------------------------------------------------------------------------
  refresh().then(function (list) {
    if (form) showProblems();
    var waiting = list.some(function (e) { return e.status === "queued" || e.status === "login" || e.status === "sending"; });
    if (waiting && navigator.onLine) sendNow();
  });
})();
