"use strict";
(function () {
  var state = JSON.parse(document.getElementById("state").textContent);
  var facts = Array.prototype.slice.call(document.querySelectorAll(".fact"));
  var current = -1;
  var busy = false;

  function say(text) { document.getElementById("msg").textContent = text; }

  function send(change) {
    if (busy) { return; }
    busy = true;
    change.version = state.version;
    fetch("/api/" + encodeURIComponent(state.output), {
      method: "POST",
      headers: {"Content-Type": "application/json", "X-Review-Token": state.token},
      body: JSON.stringify(change)
    }).then(function (r) {
      return r.json().then(function (body) {
        busy = false;
        if (!r.ok) { say(body.error || ("refused: " + r.status)); return; }
        sessionStorage.setItem("focus-" + state.output, String(current));
        location.reload();
      });
    }).catch(function (e) { busy = false; say("not saved: " + e); });
  }

  function focus(i) {
    if (!facts.length) { return; }
    current = Math.max(0, Math.min(facts.length - 1, i));
    facts.forEach(function (f, k) { f.classList.toggle("focus", k === current); });
    facts[current].focus();
  }

  function move(el, body) {
    body.fact = el.getAttribute("data-fact");
    send({move: body});
  }

  function set(el, field, value) { move(el, {"do": "set", field: field, value: value}); }

  function cycle(select) {
    var next = (select.selectedIndex + 1) % select.options.length;
    return select.options[next].value;
  }

  function selection() {
    var sel = window.getSelection();
    var article = document.getElementById("article");
    if (!sel || sel.rangeCount === 0 || sel.isCollapsed) { return null; }
    var range = sel.getRangeAt(0);
    if (!article.contains(range.startContainer) || !article.contains(range.endContainer)) {
      return null;
    }
    var before = document.createRange();
    before.setStart(article, 0);
    before.setEnd(range.startContainer, range.startOffset);
    var start = before.toString().length;
    return {start: start, end: start + range.toString().length};
  }

  function add(kind) {
    var span = selection();
    if (!span) { say("select the quote in the article first"); return; }
    send({move: {"do": "add", kind: kind, start: span.start, end: span.end}});
  }

  function countField(el) {
    var kind = el.getAttribute("data-kind");
    return kind === "casualties" ? "killed" : (kind === "arrests" ? "count" : null);
  }

  document.addEventListener("change", function (ev) {
    var t = ev.target;
    var fact = t.closest(".fact");
    if (fact && t.hasAttribute("data-field")) { set(fact, t.getAttribute("data-field"), t.value); }
  });

  document.addEventListener("click", function (ev) {
    var t = ev.target;
    var fact = t.closest(".fact");
    if (t.hasAttribute("data-do") && fact) { move(fact, {"do": t.getAttribute("data-do")}); }
    if (t.hasAttribute("data-add")) { add(t.getAttribute("data-add")); }
    if (t.hasAttribute("data-status")) { send({status: t.getAttribute("data-status")}); }
    if (t.hasAttribute("data-restart")) { send({restart: true}); }
    if (fact) { current = facts.indexOf(fact); }
  });

  document.addEventListener("keydown", function (ev) {
    var t = ev.target;
    if (ev.ctrlKey || ev.metaKey || ev.altKey) { return; }
    if (t.tagName === "INPUT" || t.tagName === "SELECT") {
      if (ev.key === "Escape") { t.blur(); }
      return;
    }
    var el = current >= 0 ? facts[current] : null;
    var key = ev.key;
    if (key === "j") { focus(current + 1); }
    else if (key === "k") { focus(current - 1); }
    else if (key === "c") { add("casualty"); }
    else if (key === "r") { add("arrest"); }
    else if (key === "p") { add("actor"); }
    else if (key === "m") { send({status: "reviewed"}); }
    else if (key === "n") {
      if (state.next) { location.href = state.next; } else { location.href = state.home; }
    }
    else if (el && key === "a") { move(el, {"do": "accept"}); }
    else if (el && key === "x") { move(el, {"do": "reject"}); }
    else if (el && (key === "+" || key === "=" || key === "-")) {
      var field = countField(el);
      if (!field) { return; }
      var input = el.querySelector("input[data-field='" + field + "']");
      var now = input.value === "" ? 0 : parseInt(input.value, 10);
      set(el, field, Math.max(0, now + (key === "-" ? -1 : 1)));
    }
    else if (el && key === "q") {
      var q = el.querySelector("select[data-field$='.qualifier']");
      if (q) { set(el, q.getAttribute("data-field"), cycle(q)); }
    }
    else if (el && key === "s") {
      var s = el.querySelector("select[data-field='side'],select[data-field='role']," +
                               "select[data-field='status']");
      if (s) { set(el, s.getAttribute("data-field"), cycle(s)); }
    }
    else { return; }
    ev.preventDefault();
  });

  var kept = sessionStorage.getItem("focus-" + state.output);
  if (kept !== null && parseInt(kept, 10) >= 0) { focus(parseInt(kept, 10)); }
  document.documentElement.setAttribute("data-review", "ready");
}());
