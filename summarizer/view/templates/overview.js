// The overview of a large run: find a brief by file name, and send an old deep link
// (index.html#brief-NAME) on to the page that holds that brief. Plain DOM, nothing fetched.
(function () {
  "use strict";
  var where = JSON.parse(document.getElementById("where").textContent);
  var pages = {};
  where.forEach(function (w) { pages[w[0]] = w[1]; });

  function pageHref(n) {
    var s = String(n);
    while (s.length < 5) { s = "0" + s; }
    return "pages/page-" + s + ".html";
  }

  var hash = decodeURIComponent(location.hash || "");
  if (hash.indexOf("#brief-") === 0) {
    var page = pages[hash.slice(7)];
    if (page) { location.replace(pageHref(page) + "#" + encodeURIComponent(hash.slice(1))); }
  }

  var find = document.getElementById("find");
  var list = document.getElementById("found-list");
  var found = document.getElementById("found");
  var LIMIT = 50;

  function show() {
    var q = find.value.toLowerCase().trim();
    while (list.firstChild) { list.removeChild(list.firstChild); }
    if (!q) { found.textContent = ""; return; }
    var hits = 0;
    for (var i = 0; i < where.length; i++) {
      if (where[i][0].toLowerCase().indexOf(q) < 0) { continue; }
      hits += 1;
      if (hits > LIMIT) { continue; }
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = pageHref(where[i][1]) + "#" + encodeURIComponent("brief-" + where[i][0]);
      a.textContent = where[i][0];  // text, never HTML
      li.appendChild(a);
      li.appendChild(document.createTextNode(" · page " + where[i][1]));
      list.appendChild(li);
    }
    found.textContent = hits + (hits === 1 ? " brief" : " briefs") +
      (hits > LIMIT ? " (first " + LIMIT + " shown)" : "");
  }
  if (find) { find.addEventListener("input", show); }
})();
