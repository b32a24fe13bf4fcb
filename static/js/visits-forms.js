// Visits pages: add formset rows without reloading, copy the news post, print the report.
// No inline scripts: everything is wired through data- attributes.
(function () {
  "use strict";

  function addFormsetRow(prefix) {
    var container = document.querySelector('[data-formset="' + prefix + '"]');
    if (!container) return null;
    var total = container.querySelector('input[name="' + prefix + '-TOTAL_FORMS"]');
    var max = container.querySelector('input[name="' + prefix + '-MAX_NUM_FORMS"]');
    var template = container.querySelector("template[data-formset-template]");
    var index = parseInt(total.value, 10);
    if (max && index >= parseInt(max.value, 10)) return null;
    var html = template.innerHTML.replace(/__prefix__/g, String(index));
    var rows = container.querySelector("[data-formset-rows]");
    rows.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    var row = rows.lastElementChild;
    var first = row && row.querySelector("input:not([type=hidden]), textarea, select");
    return first;
  }
  window.kongtunAddFormsetRow = addFormsetRow;

  // The trip form: when the province changes, every itinerary stop's center menu (and the menu of rows
  // added later) lists the centers of that province, so a stop is linked to its center on the first save.
  function refillStopCenters(province) {
    var url = province.getAttribute("data-stop-centers-url") + "?" + new URLSearchParams([["province", province.value]]);
    var form = province.form || document;
    var selects = Array.prototype.slice.call(form.querySelectorAll("select[data-stop-center]"));
    form.querySelectorAll("template[data-formset-template]").forEach(function (template) {
      selects = selects.concat(Array.prototype.slice.call(template.content.querySelectorAll("select[data-stop-center]")));
    });
    if (!selects.length) return;
    selects.forEach(function (select) { select.disabled = true; });
    fetch(url, { headers: { "X-Requested-With": "fetch" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : Promise.reject(response.status); })
      .then(function (html) {
        selects.forEach(function (select) {
          var kept = select.value;
          select.innerHTML = html;
          select.value = kept;
          if (select.value !== kept) select.value = "";
        });
      })
      .finally(function () { selects.forEach(function (select) { select.disabled = false; }); });
  }

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target instanceof Element && target.matches("select[data-stop-centers-url]")) refillStopCenters(target);
  });

  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!(target instanceof Element)) return;

    var add = target.closest("[data-formset-add]");
    if (add) {
      event.preventDefault();
      var field = addFormsetRow(add.getAttribute("data-formset-add"));
      if (field) field.focus();
      return;
    }

    var copy = target.closest("[data-copy-target]");
    if (copy) {
      event.preventDefault();
      var source = document.querySelector(copy.getAttribute("data-copy-target"));
      if (!source) return;
      var done = document.querySelector("[data-copy-done]");
      var shown = function () { if (done) done.hidden = false; };
      source.select();
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(source.value).then(shown, function () {
          if (document.execCommand("copy")) shown();
        });
      } else if (document.execCommand("copy")) {
        shown();
      }
      return;
    }

    if (target.closest("[data-print]")) {
      event.preventDefault();
      window.print();
    }
  });
})();
