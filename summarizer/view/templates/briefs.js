// The briefs page: sort and filter the table, link facts and their quotes both ways.
// Plain DOM, no library, nothing fetched; works from file://.
(function () {
  "use strict";
  var table = document.getElementById("brief-table");
  var filter = document.getElementById("filter");
  var onlyFlagged = document.getElementById("only-flagged");
  var shown = document.getElementById("shown");

  function rows() {
    return table ? Array.prototype.slice.call(table.tBodies[0].rows) : [];
  }

  function sortBy(th) {
    var key = th.getAttribute("data-key");
    var num = th.getAttribute("data-type") === "num";
    var asc = th.getAttribute("aria-sort") !== "ascending";
    var all = rows();
    all.sort(function (a, b) {
      var x = a.getAttribute("data-" + key), y = b.getAttribute("data-" + key);
      var d = num ? parseFloat(x) - parseFloat(y) : x.localeCompare(y);
      return asc ? d : -d;
    });
    all.forEach(function (r) { table.tBodies[0].appendChild(r); });
    table.querySelectorAll("th").forEach(function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", asc ? "ascending" : "descending");
  }

  function applyFilter() {
    var words = (filter ? filter.value : "").toLowerCase().split(/\s+/).filter(Boolean);
    var flaggedOnly = onlyFlagged && onlyFlagged.checked;
    var count = 0, all = rows();
    all.forEach(function (r) {
      var hay = r.getAttribute("data-search");
      var ok = words.every(function (w) { return hay.indexOf(w) >= 0; }) &&
        (!flaggedOnly || r.getAttribute("data-flagged") === "1");
      r.hidden = !ok;
      var section = document.getElementById(r.getAttribute("data-target"));
      if (section) { section.hidden = !ok; }
      if (ok) { count += 1; }
    });
    if (shown) { shown.textContent = count + " of " + all.length + " shown"; }
  }

  function openAround(el) {
    var d = el && el.closest("details");
    if (d && !d.open) { d.open = true; }
  }

  // Mark a fact and all its quotes as active; scroll one of them into view.
  function activate(fid, scrollTo) {
    document.querySelectorAll(".active").forEach(function (e) { e.classList.remove("active"); });
    var fact = document.getElementById(fid);
    var marks = document.querySelectorAll('mark[data-fact="' + fid + '"]');
    if (fact) { fact.classList.add("active"); }
    marks.forEach(function (m) { m.classList.add("active"); });
    var target = scrollTo === "fact" ? fact : scrollTo || marks[0];
    if (target) {
      openAround(target);
      target.scrollIntoView({block: "nearest"});
    }
  }

  if (table) {
    table.querySelectorAll("th[data-key]").forEach(function (th) {
      th.tabIndex = 0;
      th.addEventListener("click", function () { sortBy(th); });
      th.addEventListener("keydown", function (e) { if (e.key === "Enter") { sortBy(th); } });
    });
  }
  if (filter) { filter.addEventListener("input", applyFilter); }
  if (onlyFlagged) { onlyFlagged.addEventListener("change", applyFilter); }

  document.addEventListener("click", function (e) {
    var link = e.target.closest("[data-goto]");
    if (link) {
      e.preventDefault();
      var mark = document.getElementById(link.getAttribute("data-goto"));
      if (mark) { activate(mark.getAttribute("data-fact"), mark); }
      return;
    }
    var mark = e.target.closest("mark[data-fact]");
    if (mark) { activate(mark.getAttribute("data-fact"), "fact"); return; }
    var fact = e.target.closest("li.fact");
    if (fact && !e.target.closest("a")) { activate(fact.getAttribute("data-fact")); }
  });
  document.addEventListener("keydown", function (e) {
    var fact = e.target.closest && e.target.closest("li.fact");
    if (fact && e.key === "Enter") { activate(fact.getAttribute("data-fact")); }
  });

  function followHash() {
    var id = decodeURIComponent(location.hash.slice(1));
    var el = id && document.getElementById(id);
    if (!el) { return; }
    if (el.tagName === "DETAILS") { el.open = true; }
    openAround(el);
    if (el.hasAttribute("data-fact")) { activate(el.getAttribute("data-fact"), el); }
    else { el.scrollIntoView(); }
  }
  window.addEventListener("hashchange", followHash);
  applyFilter();
  followHash();
  document.documentElement.setAttribute("data-viewer", "ready");
})();
