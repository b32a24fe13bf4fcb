// Chained area pickers: when a select with data-area-child changes, refill the child select from
// data-area-url and empty every select below it. Server side: geography.forms.AreaPickerMixin.
(function () {
  function clearBelow(select) {
    var childId = select.dataset.areaChild;
    var child = childId && document.getElementById(childId);
    if (!child) return null;
    child.length = 1; // keep the "choose" option
    child.value = "";
    clearBelow(child);
    return child;
  }
  document.addEventListener("change", function (event) {
    var select = event.target;
    if (!select.matches || !select.matches("select[data-area-child]")) return;
    var child = clearBelow(select);
    if (!child || !select.value) return;
    var url = select.dataset.areaUrl + "?" + new URLSearchParams([[select.dataset.areaLevel, select.value]]);
    child.disabled = true;
    fetch(url, { headers: { "X-Requested-With": "fetch" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : Promise.reject(response.status); })
      .then(function (html) { child.innerHTML = html; })
      .catch(function () { child.length = 1; })
      .finally(function () { child.disabled = false; });
  });
})();
