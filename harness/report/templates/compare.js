// Comparison page: "differences only" and text filters on the matrix, and the pair view for any
// two runs: categories from the embedded fingerprints, the grouped summary and each case's
// difference lines from the explanations computed for consecutive runs and first to last.
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

  function classify(row, a, b, otherSeed) {
    var sa = row[1][a], sb = row[1][b];
    if (sa === null && sb === null) return null;
    if (sa === null) return "added";
    if (sb === null) return "removed";
    if (isExpected(sa) && !isExpected(sb)) return "regressed";
    if (!isExpected(sa) && isExpected(sb)) return "improved";
    if (otherSeed && (row[3][a] || row[3][b])) return sa !== sb ? "changed" : "not comparable";
    if (sa !== sb || row[2][a] !== row[2][b]) return "changed";
    return null;
  }

  function element(tag, className, content) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (content !== undefined) node.textContent = content;
    return node;
  }

  function renderSummary(explained) {
    var container = document.getElementById("pair-summary");
    container.textContent = "";
    if (!explained) {
      container.appendChild(element("p", "muted", "Differences are explained line by line for consecutive runs and for the first to the last; choose one of those pairs to see them."));
      return;
    }
    var summary = grouped(explained.differences);
    if (!summary.length) return;
    container.appendChild(element("h3", "", "What changed, grouped"));
    var table = element("table", "summary"), head = element("tr");
    head.appendChild(element("th", "", "cases"));
    head.appendChild(element("th", "", "difference"));
    table.appendChild(head);
    summary.forEach(function (group) {
      var tr = element("tr");
      tr.appendChild(element("td", "", String(group.count)));
      tr.appendChild(element("td", "mono", group.what));
      table.appendChild(tr);
    });
    container.appendChild(table);
  }

  // Identical lines across cases, largest group first (as the page's first summary is built).
  function grouped(differences) {
    var counts = {};
    Object.keys(differences).forEach(function (id) {
      var seen = {};
      differences[id].forEach(function (difference) {
        if (seen[difference.what]) return;
        seen[difference.what] = true;
        counts[difference.what] = (counts[difference.what] || 0) + 1;
      });
    });
    return Object.keys(counts).map(function (what) { return { what: what, count: counts[what] }; })
      .sort(function (x, y) { return y.count - x.count || (x.what < y.what ? -1 : x.what > y.what ? 1 : 0); });
  }

  function renderDetails(explained) {
    var container = document.getElementById("pair-details");
    container.textContent = "";
    if (!explained) return;
    Object.keys(explained.differences).forEach(function (id) {
      var lines = explained.differences[id];
      var details = element("details", "case"), list = element("ul", "mono");
      details.appendChild(element("summary", "mono", id + " (" + lines.length + ")"));
      lines.forEach(function (difference) {
        list.appendChild(element("li", "", difference.where + ": " + difference.what));
      });
      details.appendChild(list);
      container.appendChild(details);
    });
  }

  function renderPair() {
    var a = Number(pairA.value), b = Number(pairB.value), lists = {};
    var otherSeed = data.seeds[a] !== data.seeds[b];
    data.categories.forEach(function (c) { lists[c] = []; });
    data.rows.forEach(function (row) {
      var category = classify(row, a, b, otherSeed);
      if (category) lists[category].push(row[0]);
    });
    var container = document.getElementById("pair-lists");
    container.textContent = "";
    data.categories.forEach(function (c) {
      document.querySelector("[data-count='" + c + "']").textContent = String(lists[c].length);
      if (!lists[c].length) return;
      var p = element("p");
      p.appendChild(element("b", "", c + ": "));
      lists[c].forEach(function (id) {
        var link = element("a", "mono", id);
        link.href = "#cmp-" + id;
        p.appendChild(link);
        p.appendChild(document.createTextNode(" "));
      });
      container.appendChild(p);
    });
    document.getElementById("pair-note").textContent = lists["not comparable"].length ?
      "The two runs used different seeds: what seeded cases observed cannot be compared." : "";
    var explained = data.explained[a + "-" + b];
    renderSummary(explained);
    renderDetails(explained);
  }

  if (location.hash.indexOf("diff=1") >= 0) diffOnly.checked = true;
  diffOnly.addEventListener("change", filterRows);
  text.addEventListener("input", filterRows);
  pairA.addEventListener("change", renderPair);
  pairB.addEventListener("change", renderPair);
  filterRows();
})();
