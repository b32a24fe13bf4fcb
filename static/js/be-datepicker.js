// A calendar picker for Buddhist Era date fields (<input class="be-date">, core.fields.BEDateInput).
// Progressive enhancement: the text field stays the source of truth. Without JavaScript, or when this
// script fails, people type the date as before; with it, a button beside the field opens a month grid in
// พ.ศ. years and Thai (or English) month names, and picking a day writes "dd/mm/BBBB" into the field.
// Month names, weekday names and button labels come translated from the server (data-picker on the
// field); the year range from data-min-year / data-max-year. No inline script or style (CSP).
(function () {
  "use strict";
  if (window.kongtunBeDatePicker) return; // the form media may be rendered twice on a page
  window.kongtunBeDatePicker = true;

  var OFFSET = 543;
  var SVG = "http://www.w3.org/2000/svg";
  var openPicker = null;

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function thaiToArabic(text) {
    return text.replace(/[๐-๙]/g, function (c) { return String(c.charCodeAt(0) - 0x0e50); });
  }

  // The typed text as {year (BE), month (1-12), day}, for the numeric forms the server reads; else null.
  function readTyped(text) {
    var s = thaiToArabic(text || "").replace(/\s+/g, "");
    var m = /^(\d{2})(\d{2})(\d{4}|\d{2})$/.exec(s) || /^(\d{1,2})[\/.,-](\d{1,2})[\/.,-](\d{4}|\d{2})$/.exec(s);
    if (!m) return null;
    var year = m[3].length === 2 ? 2500 + parseInt(m[3], 10) : parseInt(m[3], 10);
    var month = parseInt(m[2], 10);
    var day = parseInt(m[1], 10);
    if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return null;
    return { year: year, month: month, day: day };
  }

  function daysIn(yearBe, month) { return new Date(yearBe - OFFSET, month, 0).getDate(); }

  function today() {
    var now = new Date();
    return { year: now.getFullYear() + OFFSET, month: now.getMonth() + 1, day: now.getDate() };
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function calendarIcon() {
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("viewBox", "0 0 16 16");
    svg.setAttribute("width", "18");
    svg.setAttribute("height", "18");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    var path = document.createElementNS(SVG, "path");
    path.setAttribute("fill", "currentColor");
    path.setAttribute(
      "d",
      "M4 0a.5.5 0 0 1 .5.5V1h7V.5a.5.5 0 0 1 1 0V1H14a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H2a2 2 0 0 1-2-2V3a2 2 0 0 1 " +
        "2-2h1.5V.5A.5.5 0 0 1 4 0zM1 5v9a1 1 0 0 0 1 1h12a1 1 0 0 0 1-1V5H1zm2 2h2v2H3V7zm4 0h2v2H7V7zm4 0h2v2h-2V7z" +
        "M3 11h2v2H3v-2zm4 0h2v2H7v-2z"
    );
    svg.appendChild(path);
    return svg;
  }

  function Picker(input) {
    var config = {};
    try { config = JSON.parse(input.getAttribute("data-picker") || "{}"); } catch (e) { config = {}; }
    this.input = input;
    this.months = config.months || [];
    this.weekdays = config.weekdays || [];
    this.labels = config.labels || {};
    var now = today();
    this.minYear = parseInt(input.getAttribute("data-min-year"), 10) || 2400;
    this.maxYear = parseInt(input.getAttribute("data-max-year"), 10) || now.year + 30;

    var wrap = el("div", "be-date-wrap");
    if (input.classList.contains("is-invalid")) wrap.classList.add("is-invalid"); // keeps the feedback shown
    input.parentNode.insertBefore(wrap, input);
    wrap.appendChild(input);
    var button = el("button", "btn btn-outline-secondary be-date-toggle");
    button.type = "button";
    button.setAttribute("aria-label", this.labels.open || "");
    button.setAttribute("title", this.labels.open || "");
    button.setAttribute("aria-haspopup", "dialog");
    button.setAttribute("aria-expanded", "false");
    if (input.disabled || input.readOnly) button.disabled = true;
    button.appendChild(calendarIcon());
    wrap.appendChild(button);
    this.wrap = wrap;
    this.button = button;
    this.popup = null;

    var self = this;
    button.addEventListener("click", function () {
      if (self.popup) self.close(false); else self.open();
    });
  }

  Picker.prototype.open = function () {
    if (openPicker && openPicker !== this) openPicker.close(false);
    var typed = readTyped(this.input.value);
    var start = typed || today();
    if (start.year < this.minYear) start = { year: this.minYear, month: 1 };
    if (start.year > this.maxYear) start = { year: this.maxYear, month: 12 };
    this.selected = typed;
    this.shown = { year: start.year, month: start.month };
    this.build();
    this.render();
    this.button.setAttribute("aria-expanded", "true");
    openPicker = this;
    var rect = this.popup.getBoundingClientRect();
    if (rect.right > document.documentElement.clientWidth) this.popup.classList.add("be-date-popup-end");
    var focus = this.popup.querySelector(".be-date-day.is-selected") || this.popup.querySelector(".be-date-day.is-today") ||
      this.popup.querySelector(".be-date-day");
    if (focus) focus.focus();
  };

  Picker.prototype.close = function (refocus) {
    if (!this.popup) return;
    this.popup.remove();
    this.popup = null;
    this.button.setAttribute("aria-expanded", "false");
    if (openPicker === this) openPicker = null;
    if (refocus) this.input.focus();
  };

  Picker.prototype.build = function () {
    var self = this;
    var labels = this.labels;
    var popup = el("div", "be-date-popup");
    popup.setAttribute("role", "dialog");
    popup.setAttribute("aria-label", labels.open || "");

    var head = el("div", "be-date-head");
    var prev = el("button", "btn btn-sm btn-outline-secondary be-date-prev", "‹");
    prev.type = "button";
    prev.setAttribute("aria-label", labels.previous || "");
    var next = el("button", "btn btn-sm btn-outline-secondary be-date-next", "›");
    next.type = "button";
    next.setAttribute("aria-label", labels.next || "");
    var month = el("select", "form-select form-select-sm be-date-month");
    month.setAttribute("aria-label", labels.month || "");
    this.months.forEach(function (name, index) {
      var option = el("option", "", name);
      option.value = String(index + 1);
      month.appendChild(option);
    });
    var year = el("select", "form-select form-select-sm be-date-year");
    year.setAttribute("aria-label", labels.year || "");
    for (var y = this.maxYear; y >= this.minYear; y--) {
      var option = el("option", "", (labels.year_format || "%(year)s").replace("%(year)s", String(y)));
      option.value = String(y);
      year.appendChild(option);
    }
    head.appendChild(prev);
    head.appendChild(month);
    head.appendChild(year);
    head.appendChild(next);
    popup.appendChild(head);

    var grid = el("table", "be-date-grid");
    grid.setAttribute("role", "grid");
    var thead = el("thead");
    var row = el("tr");
    this.weekdays.forEach(function (name) {
      var th = el("th", "", name);
      th.scope = "col";
      row.appendChild(th);
    });
    thead.appendChild(row);
    grid.appendChild(thead);
    grid.appendChild(el("tbody"));
    popup.appendChild(grid);

    var foot = el("div", "be-date-foot");
    var todayButton = el("button", "btn btn-sm btn-link be-date-today", labels.today || "");
    todayButton.type = "button";
    var closeButton = el("button", "btn btn-sm btn-link be-date-close", labels.close || "");
    closeButton.type = "button";
    foot.appendChild(todayButton);
    foot.appendChild(closeButton);
    popup.appendChild(foot);

    prev.addEventListener("click", function () { self.move(-1); });
    next.addEventListener("click", function () { self.move(1); });
    month.addEventListener("change", function () { self.shown.month = parseInt(month.value, 10); self.render(); });
    year.addEventListener("change", function () { self.shown.year = parseInt(year.value, 10); self.render(); });
    todayButton.addEventListener("click", function () { self.pick(today()); });
    closeButton.addEventListener("click", function () { self.close(true); });
    grid.addEventListener("click", function (event) {
      var day = event.target instanceof Element && event.target.closest(".be-date-day");
      if (day) self.pick({ year: self.shown.year, month: self.shown.month, day: parseInt(day.value, 10) });
    });
    popup.addEventListener("keydown", function (event) {
      if (event.key === "Escape") {
        event.preventDefault();
        self.close(true);
      }
    });
    this.wrap.appendChild(popup);
    this.popup = popup;
    this.monthSelect = month;
    this.yearSelect = year;
    this.prevButton = prev;
    this.nextButton = next;
  };

  Picker.prototype.move = function (step) {
    var month = this.shown.month + step;
    var year = this.shown.year;
    if (month < 1) { month = 12; year -= 1; }
    if (month > 12) { month = 1; year += 1; }
    if (year < this.minYear || year > this.maxYear) return;
    this.shown = { year: year, month: month };
    this.render();
  };

  Picker.prototype.render = function () {
    var shown = this.shown;
    var now = today();
    var selected = this.selected;
    this.monthSelect.value = String(shown.month);
    this.yearSelect.value = String(shown.year);
    this.prevButton.disabled = shown.year === this.minYear && shown.month === 1;
    this.nextButton.disabled = shown.year === this.maxYear && shown.month === 12;
    var body = this.popup.querySelector("tbody");
    while (body.firstChild) body.removeChild(body.firstChild);
    var first = new Date(shown.year - OFFSET, shown.month - 1, 1).getDay();
    var days = daysIn(shown.year, shown.month);
    var row = el("tr");
    for (var blank = 0; blank < first; blank++) row.appendChild(el("td"));
    for (var day = 1; day <= days; day++) {
      if (row.children.length === 7) {
        body.appendChild(row);
        row = el("tr");
      }
      var cell = el("td");
      var button = el("button", "be-date-day", String(day));
      button.type = "button";
      button.value = String(day);
      var label = day + " " + (this.months[shown.month - 1] || shown.month) + " " + shown.year;
      button.setAttribute("aria-label", label);
      if (shown.year === now.year && shown.month === now.month && day === now.day) {
        button.classList.add("is-today");
      }
      if (selected && shown.year === selected.year && shown.month === selected.month && day === selected.day) {
        button.classList.add("is-selected");
        button.setAttribute("aria-pressed", "true");
      }
      cell.appendChild(button);
      row.appendChild(cell);
    }
    body.appendChild(row);
  };

  Picker.prototype.pick = function (when) {
    this.input.value = pad(when.day) + "/" + pad(when.month) + "/" + when.year;
    // Other scripts (the report draft) listen for what people type.
    this.input.dispatchEvent(new Event("input", { bubbles: true }));
    this.input.dispatchEvent(new Event("change", { bubbles: true }));
    this.close(true);
  };

  function enhance(root) {
    var inputs = root.querySelectorAll ? root.querySelectorAll("input.be-date[data-picker]") : [];
    Array.prototype.forEach.call(inputs, function (input) {
      if (input.closest("template") || input.hasAttribute("data-picker-ready")) return;
      input.setAttribute("data-picker-ready", "");
      new Picker(input);
    });
  }

  document.addEventListener("click", function (event) {
    if (openPicker && event.target instanceof Node && !openPicker.wrap.contains(event.target)) {
      openPicker.close(false);
    }
  });

  function start() {
    enhance(document);
    // Formset rows added without a reload (visits-forms.js) and htmx swaps get a picker too.
    new MutationObserver(function (records) {
      records.forEach(function (record) {
        Array.prototype.forEach.call(record.addedNodes, function (node) {
          if (node.nodeType === 1) {
            if (node.matches("input.be-date[data-picker]")) enhance(node.parentNode);
            else enhance(node);
          }
        });
      });
    }).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
