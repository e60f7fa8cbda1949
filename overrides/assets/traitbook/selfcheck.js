/* Traitbook self-check: enhances the static exercise HTML (which works without JavaScript)
 * with answer checking, feedback, and progress kept in localStorage.
 * Runs on every page view, including Material's instant navigation (document$). */
(function () {
  "use strict";

  var VERSION = 1;
  // Keys carry the site's own path, so two sites on one host (user.github.io/a/ and /b/)
  // never share progress. The base comes from Material's config, read once at first load.
  var SCOPE = (function () {
    try {
      var cfg = JSON.parse(document.getElementById("__config").textContent);
      return new URL(cfg.base, location.href).pathname.replace(/\/?$/, "/");
    } catch (e) {
      return "/";
    }
  })();
  var KEY = SCOPE + "traitbook.progress";
  var memory = null; // used when storage is blocked: exercises still work, nothing is saved

  function empty() { return { version: VERSION, exercises: {}, reflections: {}, totals: {} }; }

  function load() {
    if (memory) return memory;
    try {
      var data = JSON.parse(window.localStorage.getItem(KEY) || "null");
      return valid(data) ? data : empty();
    } catch (e) {
      memory = empty();
      return memory;
    }
  }

  function save(state) {
    if (memory) { memory = state; return false; }
    try {
      window.localStorage.setItem(KEY, JSON.stringify(state));
      return true;
    } catch (e) {
      memory = state;
      return false;
    }
  }

  function valid(data) {
    return !!data && data.version === VERSION && typeof data.exercises === "object" &&
      typeof data.reflections === "object" && typeof data.totals === "object";
  }

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text) node.textContent = text;
    return node;
  }

  function button(label, cls, onClick) {
    var b = el("button", "md-button tb-btn " + (cls || ""), label);
    b.type = "button";
    b.addEventListener("click", onClick);
    return b;
  }

  /* ---- progress ---- */

  function traitProgress(state, trait) {
    var done = 0, first = 0;
    Object.keys(state.exercises).forEach(function (k) {
      if (k.indexOf(trait + "/") !== 0) return;
      var r = state.exercises[k];
      if (r.answered) done++;
      if (r.first) first++;
    });
    return { done: done, first: first, total: state.totals[trait] || 0 };
  }

  function progressText(p) {
    var t = p.total ? p.done + " of " + p.total + " done" : p.done + " done";
    return p.first ? t + ", " + p.first + " correct on first try" : t;
  }

  function record(key, patch) {
    var state = load();
    var rec = state.exercises[key] || {};
    Object.keys(patch).forEach(function (k) { rec[k] = patch[k]; });
    state.exercises[key] = rec;
    save(state);
    refresh();
  }

  /* ---- choice questions ---- */

  function options(box) {
    return Array.prototype.map.call(box.querySelectorAll(".tb-feedback__item"), function (li) {
      var input = box.querySelector("input[value='" + li.getAttribute("data-option") + "']");
      return { li: li, input: input, correct: li.getAttribute("data-correct") === "true" };
    });
  }

  function feedbackItem(opt, picked) {
    var item = el("li", "tb-result__item " + (opt.correct ? "is-correct" : "is-wrong"));
    var verdict = (opt.correct ? "✓ Correct answer" : "✗ Not the best choice") + (picked ? " (your choice)" : "");
    item.appendChild(el("strong", "tb-result__verdict", verdict + ": "));
    // The feedback HTML was sanitised by the generator; copy its nodes, never re-parse strings.
    Array.prototype.forEach.call(opt.li.childNodes, function (n) {
      if (!(n.classList && n.classList.contains("tb-feedback__verdict"))) item.appendChild(n.cloneNode(true));
    });
    return item;
  }

  function enhanceChoice(box) {
    var key = box.getAttribute("data-exercise");
    var opts = options(box);
    var fieldset = box.querySelector("fieldset");
    var result = el("div", "tb-result");
    result.setAttribute("aria-live", "polite");
    result.setAttribute("tabindex", "-1");
    var actions = el("div", "tb-actions");
    var check = button("Check answer", "md-button--primary", submit);
    var retry = button("Try again", "", reset);
    retry.hidden = true;
    actions.appendChild(check);
    actions.appendChild(retry);
    fieldset.insertAdjacentElement("afterend", actions);
    actions.insertAdjacentElement("afterend", result);

    function clearMarks() {
      opts.forEach(function (o) {
        var row = o.input.closest(".tb-option");
        row.classList.remove("is-correct", "is-wrong");
        var tag = row.querySelector(".tb-option__mark");
        if (tag) tag.remove();
      });
    }

    function submit() {
      var picked = opts.filter(function (o) { return o.input.checked; });
      result.textContent = "";
      if (!picked.length) {
        result.appendChild(el("p", "tb-result__hint", "Choose an option first."));
        return;
      }
      var right = opts.every(function (o) { return o.input.checked === o.correct; });
      clearMarks();
      opts.forEach(function (o) {
        if (!o.input.checked && !o.correct) return;
        var row = o.input.closest(".tb-option");
        row.classList.add(o.correct ? "is-correct" : "is-wrong");
        row.appendChild(el("span", "tb-option__mark", o.correct ? "✓ correct" : "✗ your choice"));
      });
      result.appendChild(el("p", "tb-result__title " + (right ? "is-correct" : "is-wrong"),
        right ? "✓ Correct." : "✗ Not quite. Here is why:"));
      var list = el("ul", "tb-result__list");
      picked.forEach(function (o) { list.appendChild(feedbackItem(o, true)); });
      if (!right) opts.forEach(function (o) { if (o.correct && !o.input.checked) list.appendChild(feedbackItem(o, false)); });
      result.appendChild(list);
      opts.forEach(function (o) { o.input.disabled = true; });
      check.hidden = true;
      retry.hidden = false;
      var prev = load().exercises[key];
      record(key, { answered: true, correct: right, first: prev && prev.answered ? !!prev.first : right });
      result.focus();
    }

    function reset() {
      result.textContent = "";
      clearMarks();
      opts.forEach(function (o) { o.input.disabled = false; o.input.checked = false; });
      check.hidden = false;
      retry.hidden = true;
      opts[0].input.focus();
    }
  }

  /* ---- reflection ---- */

  function enhanceReflection(box) {
    var key = box.getAttribute("data-exercise");
    var area = box.querySelector("textarea");
    var status = el("p", "tb-saved");
    status.setAttribute("aria-live", "polite");
    area.insertAdjacentElement("afterend", status);
    var saved = load().reflections[key];
    if (saved) area.value = saved;
    var timer = null;
    area.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var state = load();
        var text = area.value;
        if (text.trim()) state.reflections[key] = text; else delete state.reflections[key];
        var rec = state.exercises[key] || {};
        rec.answered = !!text.trim();
        state.exercises[key] = rec;
        status.textContent = save(state) ? "Saved in this browser." : "Not saved: this browser blocks storage.";
        refresh();
      }, 400);
    });
    var details = box.querySelector("details");
    var summary = details && details.querySelector("summary");
    if (summary && box.getAttribute("data-kind") === "reflection") summary.textContent = "Show guidance: what a good answer covers";
  }

  /* ---- progress display, reset, export and import ---- */

  function rememberTotals(root) {
    var state = load(), changed = false;
    root.querySelectorAll("[data-trait][data-exercises]").forEach(function (n) {
      var id = n.getAttribute("data-trait"), total = parseInt(n.getAttribute("data-exercises"), 10);
      if (state.totals[id] !== total) { state.totals[id] = total; changed = true; }
    });
    if (changed) save(state);
  }

  function traitOfLink(a) {
    var url = new URL(a.href, location.href);
    if (url.hash) return null; // a table-of-contents entry, not a link to a trait
    var path = url.pathname;
    if (path.indexOf(SCOPE) !== 0) return null;
    var m = /^traits\/([a-z0-9-]+)(?:\/(?:index\.html)?|\.html)$/.exec(path.slice(SCOPE.length));
    return m ? m[1] : null;
  }

  function refresh() {
    var state = load();
    document.querySelectorAll(".md-nav__link[href], .tb-trait-link").forEach(function (a) {
      var id = traitOfLink(a);
      if (!id) return;
      var p = traitProgress(state, id);
      var badge = a.querySelector(".tb-badge");
      if (!p.done) { if (badge) badge.remove(); return; }
      if (!badge) { badge = el("span", "tb-badge"); a.appendChild(badge); }
      var complete = p.total && p.done >= p.total;
      badge.textContent = complete ? "✓ done" : p.done + (p.total ? "/" + p.total : "");
      badge.setAttribute("aria-label", "self-check: " + progressText(p));
      badge.classList.toggle("is-complete", !!complete);
    });
    document.querySelectorAll(".tb-progress[data-trait]").forEach(function (box) {
      box.querySelector(".tb-progress__text").textContent =
        "Self-check: " + progressText(traitProgress(state, box.getAttribute("data-trait")));
    });
  }

  function resetTrait(id) {
    var state = load();
    [state.exercises, state.reflections].forEach(function (map) {
      Object.keys(map).forEach(function (k) { if (k.indexOf(id + "/") === 0) delete map[k]; });
    });
    save(state);
  }

  function traitPanel(summary) {
    var id = summary.getAttribute("data-trait");
    var box = el("div", "tb-progress");
    box.setAttribute("data-trait", id);
    box.appendChild(el("span", "tb-progress__text"));
    box.appendChild(button("Reset this trait", "", function () {
      if (!window.confirm("Clear your answers and notes for this trait?")) return;
      resetTrait(id);
      location.reload();
    }));
    summary.insertAdjacentElement("afterend", box);
  }

  function sitePanel(host) {
    var status = el("p", "tb-panel__status");
    status.setAttribute("aria-live", "polite");
    var file = el("input", "tb-panel__file");
    file.type = "file";
    file.accept = "application/json,.json";
    file.setAttribute("aria-label", "Progress file to import");
    file.hidden = true;
    file.addEventListener("change", function () {
      var f = file.files && file.files[0];
      if (!f) return;
      f.text().then(function (text) {
        var data = JSON.parse(text);
        if (!valid(data)) throw new Error("not a Traitbook progress file");
        save(data);
        refresh();
        status.textContent = "Progress imported.";
      }).catch(function (e) { status.textContent = "Could not import: " + e.message; });
      file.value = "";
    });
    host.appendChild(el("h2", "tb-panel__title", "Your progress"));
    host.appendChild(el("p", null, "Answers and notes stay in this browser. Export them to move to another device."));
    var row = el("div", "tb-actions");
    row.appendChild(button("Export progress", "", function () {
      var blob = new Blob([JSON.stringify(load(), null, 2)], { type: "application/json" });
      var a = el("a");
      a.href = URL.createObjectURL(blob);
      a.download = "traitbook-progress.json";
      document.body.appendChild(a);
      a.click();
      a.remove();
      status.textContent = "Progress exported.";
    }));
    row.appendChild(button("Import progress", "", function () { file.click(); }));
    row.appendChild(file);
    row.appendChild(button("Reset all progress", "", function () {
      if (!window.confirm("Clear all your answers and notes on this site?")) return;
      var state = load();
      save({ version: VERSION, exercises: {}, reflections: {}, totals: state.totals });
      refresh();
      status.textContent = "All progress cleared.";
    }));
    host.appendChild(row);
    host.appendChild(status);
    host.hidden = false;
  }

  function init() {
    document.documentElement.classList.add("tb-js");
    rememberTotals(document);
    document.querySelectorAll(".tb-exercise:not([data-tb-ready])").forEach(function (box) {
      box.setAttribute("data-tb-ready", "");
      var kind = box.getAttribute("data-kind");
      // A task is written like a reflection: the text is kept, then compared with the model answer.
      if (kind === "reflection" || kind === "task") enhanceReflection(box);
      else enhanceChoice(box);
    });
    document.querySelectorAll(".tb-summary[data-trait]").forEach(function (s) {
      if (!s.nextElementSibling || !s.nextElementSibling.classList.contains("tb-progress")) traitPanel(s);
    });
    document.querySelectorAll("[data-tb-panel]:empty").forEach(sitePanel);
    // Instant navigation makes every link absolute; mark the ones leaving the site so that
    // print.css can show their address on paper.
    document.querySelectorAll(".md-typeset a[href]").forEach(function (a) {
      if (a.host && a.host !== location.host) a.classList.add("tb-external");
    });
    refresh();
  }

  // init is idempotent. Run it now (document$ may have emitted before this script ran, as
  // it does without instant navigation, e.g. from file://) and again on every page change.
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(init);
})();
