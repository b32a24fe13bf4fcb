// Keeps what an officer types in a report form in this browser (localStorage), so that a dropped
// connection, a closed tab or an expired session loses nothing. The form names its storage key in
// data-draft-key; the text is put back when the form is opened again, and the page shown after a
// successful save names the keys to forget in data-draft-clear. Drafts older than 30 days are dropped.
(function () {
  "use strict";

  var MAX_AGE_MS = 30 * 24 * 60 * 60 * 1000;
  var SKIP_TYPES = { file: 1, submit: 1, button: 1, reset: 1, password: 1, hidden: 1 };
  var storage;
  try {
    storage = window.localStorage;
    storage.setItem("kongtun:probe", "1");
    storage.removeItem("kongtun:probe");
  } catch (error) {
    return; // private mode or storage disabled: the form still works, without drafts
  }

  function read(key) {
    try {
      var draft = JSON.parse(storage.getItem(key) || "null");
      if (!draft || typeof draft.values !== "object") return null;
      if (Date.now() - (draft.savedAt || 0) > MAX_AGE_MS) {
        storage.removeItem(key);
        return null;
      }
      return draft;
    } catch (error) {
      storage.removeItem(key);
      return null;
    }
  }

  function draftFields(form) {
    return Array.prototype.filter.call(form.elements, function (element) {
      return element.name && !SKIP_TYPES[element.type] && element.name !== "csrfmiddlewaretoken";
    });
  }

  function collect(form) {
    var values = {};
    draftFields(form).forEach(function (element) {
      if (element.type === "checkbox") {
        if (!values[element.name]) values[element.name] = [];
        if (element.checked) values[element.name].push(element.value);
      } else if (element.type === "radio") {
        if (element.checked) values[element.name] = element.value;
      } else if (element.multiple) {
        values[element.name] = Array.prototype.filter
          .call(element.options, function (option) { return option.selected; })
          .map(function (option) { return option.value; });
      } else {
        values[element.name] = element.value;
      }
    });
    return values;
  }

  function ensureFormsetRow(form, name) {
    // "recommendations-3-text": add rows to the "recommendations" formset until row 3 exists.
    var match = /^(.+)-(\d+)-[^-]+$/.exec(name);
    if (!match || typeof window.kongtunAddFormsetRow !== "function") return;
    var guard = 0;
    while (!form.elements.namedItem(name) && guard < 50) {
      if (!window.kongtunAddFormsetRow(match[1])) return;
      guard += 1;
    }
  }

  function apply(form, values) {
    var changed = false;
    Object.keys(values).forEach(function (name) {
      var value = values[name];
      if (!form.elements.namedItem(name)) ensureFormsetRow(form, name);
      var elements = form.querySelectorAll('[name="' + CSS.escape(name) + '"]');
      Array.prototype.forEach.call(elements, function (element) {
        if (SKIP_TYPES[element.type]) return;
        if (element.type === "checkbox") {
          var checked = Array.isArray(value) && value.indexOf(element.value) !== -1;
          if (element.checked !== checked) { element.checked = checked; changed = true; }
        } else if (element.type === "radio") {
          var on = element.value === value;
          if (element.checked !== on) { element.checked = on; changed = true; }
        } else if (element.multiple && Array.isArray(value)) {
          Array.prototype.forEach.call(element.options, function (option) {
            var selected = value.indexOf(option.value) !== -1;
            if (option.selected !== selected) { option.selected = selected; changed = true; }
          });
        } else if (typeof value === "string" && element.value !== value) {
          element.value = value;
          changed = true;
        }
      });
    });
    return changed;
  }

  function setUp(form) {
    var key = form.getAttribute("data-draft-key");
    var notice = document.querySelector("[data-draft-notice]");
    var status = form.querySelector("[data-draft-status]");
    var timer = null;

    var draft = read(key);
    if (draft && apply(form, draft.values) && notice) notice.hidden = false;

    function save() {
      timer = null;
      try {
        storage.setItem(key, JSON.stringify({ savedAt: Date.now(), values: collect(form) }));
        if (status) status.hidden = false;
      } catch (error) {
        // storage full: keep working without the draft
      }
    }
    function later() {
      if (timer) window.clearTimeout(timer);
      timer = window.setTimeout(save, 300);
    }
    form.addEventListener("input", later);
    form.addEventListener("change", later);
    form.addEventListener("submit", save); // kept until the server confirms the save
    window.addEventListener("pagehide", function () { if (timer) save(); });

    var discard = document.querySelector("[data-draft-discard]");
    if (discard) {
      discard.addEventListener("click", function () {
        storage.removeItem(key);
        window.location.assign(window.location.pathname + window.location.search); // a GET, never a re-POST
      });
    }
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-draft-clear]"), function (element) {
    element.getAttribute("data-draft-clear").split(/\s+/).forEach(function (key) {
      if (key) storage.removeItem(key);
    });
  });
  Array.prototype.forEach.call(document.querySelectorAll("form[data-draft-key]"), setUp);
})();
