// The events page: filter the events by what they say, or keep those told more than once.
(function () {
  "use strict";
  var filter = document.getElementById("filter");
  var multi = document.getElementById("only-multi");
  var shown = document.getElementById("shown");
  var events = Array.prototype.slice.call(document.querySelectorAll("details.event"));

  function apply() {
    var q = filter.value.toLowerCase().trim();
    var n = 0;
    events.forEach(function (ev) {
      var ok = (!q || ev.getAttribute("data-search").indexOf(q) !== -1) &&
        (!multi.checked || Number(ev.getAttribute("data-articles")) > 1);
      ev.hidden = !ok;
      if (ok) { n += 1; }
    });
    shown.textContent = n + " of " + events.length + " events shown";
  }

  filter.addEventListener("input", apply);
  multi.addEventListener("change", apply);
  var params = new URLSearchParams(location.search);
  if (params.get("q")) { filter.value = params.get("q"); }
  if (params.get("multi")) { multi.checked = true; }
  apply();
  document.documentElement.setAttribute("data-events", "ready");
}());
