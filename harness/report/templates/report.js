// Filters of the run report: by status, area and free text; state kept in the URL fragment
// (#status=FAIL,ERROR&area=uploads&q=cookie) so a filtered view can be shared. Plain #case-id opens that case.
(function () {
  "use strict";
  var cases = Array.prototype.slice.call(document.querySelectorAll("details.case"));
  var statusBoxes = Array.prototype.slice.call(document.querySelectorAll("input[name=status]"));
  var area = document.getElementById("area-filter");
  var text = document.getElementById("text-filter");
  var shown = document.getElementById("shown-count");
  document.getElementById("filters").classList.remove("hidden");

  function readHash() {
    var hash = decodeURIComponent(location.hash.slice(1));
    if (!hash) return;
    if (hash.indexOf("=") < 0) {
      var target = document.getElementById(hash);
      if (target) { target.open = true; target.scrollIntoView(); }
      return;
    }
    hash.split("&").forEach(function (pair) {
      var kv = pair.split("="), key = kv[0], value = kv.slice(1).join("=");
      if (key === "status") {
        var wanted = value.split(",");
        statusBoxes.forEach(function (box) { box.checked = wanted.indexOf(box.value) >= 0; });
      } else if (key === "area") { area.value = value; }
      else if (key === "q") { text.value = value; }
    });
  }

  function apply() {
    var statuses = statusBoxes.filter(function (b) { return b.checked; }).map(function (b) { return b.value; });
    var needle = text.value.trim().toLowerCase();
    var count = 0;
    cases.forEach(function (item) {
      var visible = statuses.indexOf(item.dataset.status) >= 0 &&
        (!area.value || item.dataset.area === area.value) &&
        (!needle || item.textContent.toLowerCase().indexOf(needle) >= 0);
      item.classList.toggle("hidden", !visible);
      if (visible) count += 1;
    });
    shown.textContent = count + " of " + cases.length + " cases shown";
  }

  readHash();
  apply();
  statusBoxes.forEach(function (box) { box.addEventListener("change", apply); });
  area.addEventListener("change", apply);
  text.addEventListener("input", apply);
  window.addEventListener("hashchange", function () { readHash(); apply(); });
})();
