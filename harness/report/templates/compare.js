// Comparison page: "differences only" and text filters on the matrix, and the pair view recomputed
// for any two runs from the embedded data (statuses and observation fingerprints per cell).
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("compare-data").textContent);
  var rows = Array.prototype.slice.call(document.querySelectorAll("tr[data-id]"));
  var diffOnly = document.getElementById("diff-only");
  var text = document.getElementById("text-filter");
  var shown = document.getElementById("shown-count");
  var pairA = document.getElementById("pair-a"), pairB = document.getElementById("pair-b");
  var unexpected = data.unexpected;
  document.getElementById("filters").classList.remove("hidden");
  document.getElementById("pair-choice").classList.remove("hidden");

  function filterRows() {
    var needle = text.value.trim().toLowerCase(), count = 0;
    rows.forEach(function (row) {
      var visible = (!diffOnly.checked || row.dataset.differs === "1") &&
        (!needle || row.dataset.id.indexOf(needle) >= 0);
      row.classList.toggle("hidden", !visible);
      if (visible) count += 1;
    });
    shown.textContent = count + " of " + rows.length + " cases shown";
    Array.prototype.forEach.call(document.querySelectorAll("tr[data-area]"), function (header) {
      var members = rows.filter(function (row) { return row.dataset.areaOf === header.dataset.area; });
      header.classList.toggle("hidden", members.every(function (row) { return row.classList.contains("hidden"); }));
    });
  }

  function isExpected(status) { return status !== null && unexpected.indexOf(status) < 0; }

  function classify(a, b, fa, fb) {
    if (a === null && b === null) return null;
    if (a === null) return "added";
    if (b === null) return "removed";
    if (isExpected(a) && !isExpected(b)) return "regressed";
    if (!isExpected(a) && isExpected(b)) return "improved";
    if (a !== b || fa !== fb) return "changed";
    return null;
  }

  function renderPair() {
    var a = Number(pairA.value), b = Number(pairB.value), lists = {};
    data.categories.forEach(function (c) { lists[c] = []; });
    data.rows.forEach(function (row) {
      var category = classify(row[1][a], row[1][b], row[2][a], row[2][b]);
      if (category) lists[category].push(row[0]);
    });
    var container = document.getElementById("pair-lists");
    container.textContent = "";
    data.categories.forEach(function (c) {
      document.querySelector("[data-count='" + c + "']").textContent = String(lists[c].length);
      if (!lists[c].length) return;
      var p = document.createElement("p"), title = document.createElement("b");
      title.textContent = c + ": ";
      p.appendChild(title);
      lists[c].forEach(function (id) {
        var link = document.createElement("a");
        link.className = "mono";
        link.href = "#cmp-" + id;
        link.textContent = id;
        p.appendChild(link);
        p.appendChild(document.createTextNode(" "));
      });
      container.appendChild(p);
    });
  }

  if (location.hash.indexOf("diff=1") >= 0) diffOnly.checked = true;
  diffOnly.addEventListener("change", filterRows);
  text.addEventListener("input", filterRows);
  pairA.addEventListener("change", renderPair);
  pairB.addEventListener("change", renderPair);
  filterRows();
})();
