/* Traitbook self-check: enhances the static exercise HTML (which works without JavaScript)
 * with answer checking, feedback, and progress kept in localStorage.
 * Runs on every page view, including Material's instant navigation (document$). */
(function () {
  "use strict";

  var VERSION = 2; // 2 added ratings, snapshots and the chosen path; version 1 is upgraded
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
  // Every word this script shows comes from the page: the generator writes them, in the
  // catalogue's language, into <script type="application/json" id="tb-messages">.
  var WORDS = (function () {
    try {
      return JSON.parse(document.getElementById("tb-messages").textContent) || {};
    } catch (e) {
      return {};
    }
  })();

  function t(key, params) {
    var text = Object.prototype.hasOwnProperty.call(WORDS, key) ? WORDS[key] : key;
    return text.replace(/\{([a-z_]+)\}/g, function (whole, name) {
      return params && Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : whole;
    });
  }
  var memory = null; // used when storage is blocked: exercises still work, nothing is saved

  function empty() {
    return { version: VERSION, exercises: {}, reflections: {}, totals: {}, ratings: {}, snapshots: [], path: "" };
  }

  function upgrade(data) {
    if (data && data.version === 1) { data.version = 2; data.ratings = {}; data.snapshots = []; data.path = ""; }
    return data;
  }

  function load() {
    if (memory) return memory;
    try {
      var data = upgrade(JSON.parse(window.localStorage.getItem(KEY) || "null"));
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
      typeof data.reflections === "object" && typeof data.totals === "object" &&
      typeof data.ratings === "object" && Array.isArray(data.snapshots) && typeof data.path === "string";
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
    var text = p.total ? t("progress", { done: p.done, total: p.total }) : t("progress_open", { done: p.done });
    return p.first ? t("progress_first", { progress: text, first: p.first }) : text;
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
    var verdict = t(opt.correct ? "correct_answer" : "not_best") + (picked ? " " + t("your_choice_note") : "");
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
    var check = button(t("check"), "md-button--primary", submit);
    var retry = button(t("retry"), "", reset);
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
        result.appendChild(el("p", "tb-result__hint", t("choose_first")));
        return;
      }
      var right = opts.every(function (o) { return o.input.checked === o.correct; });
      clearMarks();
      opts.forEach(function (o) {
        if (!o.input.checked && !o.correct) return;
        var row = o.input.closest(".tb-option");
        row.classList.add(o.correct ? "is-correct" : "is-wrong");
        row.appendChild(el("span", "tb-option__mark", t(o.correct ? "mark_correct" : "mark_yours")));
      });
      result.appendChild(el("p", "tb-result__title " + (right ? "is-correct" : "is-wrong"),
        t(right ? "right" : "wrong")));
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
        status.textContent = t(save(state) ? "saved" : "not_saved");
        refresh();
      }, 400);
    });
    var details = box.querySelector("details");
    var summary = details && details.querySelector("summary");
    if (summary && box.getAttribute("data-kind") === "reflection") summary.textContent = t("show_guidance");
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
      badge.textContent = complete ? t("done_badge") : p.done + (p.total ? "/" + p.total : "");
      badge.setAttribute("aria-label", t("badge_label", { progress: progressText(p) }));
      badge.classList.toggle("is-complete", !!complete);
    });
    document.querySelectorAll(".tb-progress[data-trait]").forEach(function (box) {
      box.querySelector(".tb-progress__text").textContent =
        t("selfcheck", { progress: progressText(traitProgress(state, box.getAttribute("data-trait"))) });
    });
    document.querySelectorAll(".tb-trait-link[data-trait]").forEach(function (a) {
      var r = state.ratings[a.getAttribute("data-trait")], tag = a.parentNode.querySelector(".tb-rating");
      if (!r) { if (tag) tag.remove(); return; }
      if (!tag) { tag = el("span", "tb-badge tb-rating"); a.insertAdjacentElement("afterend", tag); }
      tag.textContent = t("rating_badge", { level: r });
    });
    document.querySelectorAll("[data-tb-path-select]").forEach(function (sel) { sel.value = state.path; });
    document.querySelectorAll("[data-tb-profile]").forEach(function (box) { profile(box, state); });
    document.querySelectorAll("[data-tb-path]").forEach(function (box) { pathPanel(box, state); });
  }

  /* ---- self-assessment, paths and snapshots ---- */

  var compareWith = -1; // index of the snapshot the profile compares with; -1: the latest

  function change(fn) { var state = load(); fn(state); save(state); refresh(); }

  function targets(state) {
    var opt = state.path && document.querySelector("[data-tb-path-select] option[value='" + state.path + "']");
    var out = [];
    (opt ? opt.getAttribute("data-targets").split(" ") : []).forEach(function (pair) {
      var kv = pair.split(":");
      out.push({ id: kv[0], target: +kv[1] });
    });
    return out;
  }

  function points(svg, values) {
    var cx = +svg.getAttribute("data-cx"), cy = +svg.getAttribute("data-cy"), n = +svg.getAttribute("data-levels");
    if (!values.some(function (v) { return v > 0; })) return "";
    return Array.prototype.map.call(svg.querySelectorAll("line[data-trait]"), function (line, i) {
      var f = (values[i] || 0) / n;
      return (cx + (line.getAttribute("x2") - cx) * f).toFixed(1) + "," + (cy + (line.getAttribute("y2") - cy) * f).toFixed(1);
    }).join(" ");
  }

  function traitLink(id) { return document.querySelector(".tb-trait-link[data-trait='" + id + "']"); }

  function profile(box, state) {
    box.hidden = false;
    var svg = box.querySelector("svg"), goal = {}, series = { you: [], check: [], target: [], then: [] };
    var snaps = state.snapshots, then = snaps[compareWith < 0 || compareWith >= snaps.length ? snaps.length - 1 : compareWith];
    var wanted = targets(state);
    wanted.forEach(function (w) { goal[w.id] = w.target; });
    box.querySelectorAll("tbody tr").forEach(function (tr) {
      var id = tr.getAttribute("data-trait"), choices = +tr.getAttribute("data-choices");
      var p = traitProgress(state, id), cells = tr.querySelectorAll("td");
      var check = choices ? Math.round(+box.getAttribute("data-levels") * Math.min(p.first, choices) / choices * 10) / 10 : 0;
      var past = then && then.ratings[id];
      series.you.push(state.ratings[id] || 0);
      series.check.push(check);
      series.target.push(goal[id] || 0);
      series.then.push(past || 0);
      cells[0].textContent = state.ratings[id] || t("not_rated");
      cells[1].textContent = choices ? t("first_time", { right: Math.min(p.first, choices), choices: choices }) : t("none");
      cells[2].textContent = goal[id] || "–";
      cells[3].textContent = then ? t("on_date", { rating: past || t("not_rated"), date: then.date }) : "–";
    });
    if (svg) Object.keys(series).forEach(function (k) { svg.querySelector(".tb-series--" + k).setAttribute("points", points(svg, series[k])); });
    var gaps = box.querySelector(".tb-gaps");
    gaps.textContent = "";
    gaps.appendChild(el("h3", null, t("gaps")));
    var list = el("ul");
    wanted.forEach(function (w) {
      var you = state.ratings[w.id] || 0, link = traitLink(w.id), row = box.querySelector("tr[data-trait='" + w.id + "'] th");
      if (you >= w.target || !link || !row) return;
      var li = el("li", null, t("gap", { trait: row.textContent, you: you || t("not_rated"), target: w.target }));
      var a = el("a", null, t("how_to_develop"));
      a.href = link.href.split("#")[0] + "#how-to-develop-it";
      li.appendChild(a);
      list.appendChild(li);
    });
    gaps.appendChild(list.children.length ? list : el("p", null, wanted.length
      ? t("no_gaps") : t("choose_path")));
    snapshotControls(box, state);
  }

  function snapshotControls(box, state) {
    var row = box.querySelector(".tb-snapshots");
    if (!row) {
      row = el("div", "tb-actions tb-snapshots");
      row.appendChild(button(t("save_snapshot"), "", function () {
        change(function (s) { s.snapshots.push({ date: new Date().toISOString().slice(0, 10), ratings: JSON.parse(JSON.stringify(s.ratings)) }); });
        compareWith = -1;
        refresh();
      }));
      var label = el("label", null, t("compare_with"));
      var pick = el("select");
      pick.addEventListener("change", function () { compareWith = +pick.value; refresh(); });
      label.appendChild(pick);
      row.appendChild(label);
      box.appendChild(row);
    }
    var select = row.querySelector("select");
    select.textContent = "";
    state.snapshots.forEach(function (snap, i) { select.appendChild(new Option(t("snapshot_of", { date: snap.date }), i)); });
    select.value = compareWith < 0 ? state.snapshots.length - 1 : compareWith;
    select.parentNode.hidden = !state.snapshots.length;
  }

  function pathPanel(box, state) {
    // Next: the first step below its target; once every target is met, the first with self-checks left.
    var id = box.getAttribute("data-tb-path"), mine = state.path === id, next = null, unchecked = null;
    box.hidden = false;
    document.querySelectorAll(".tb-step[data-trait]").forEach(function (step) {
      var trait = step.getAttribute("data-trait"), target = +step.getAttribute("data-target");
      var you = state.ratings[trait] || 0, p = traitProgress(state, trait);
      var tag = step.querySelector(".tb-step__status") || step.appendChild(el("span", "tb-step__status"));
      tag.textContent = t("step_status", { rating: you || t("not_rated"), target: target, progress: progressText(p) });
      if (!next && you < target) next = step.querySelector("a");
      if (!unchecked && (!p.total || p.done < p.total)) unchecked = step.querySelector("a");
    });
    next = next || unchecked;
    box.textContent = "";
    box.appendChild(el("p", null, t(mine ? "your_path" : "not_your_path")));
    if (!mine) box.appendChild(button(t("make_mine"), "md-button--primary", function () { change(function (s) { s.path = id; }); }));
    if (next) {
      var p = el("p", null, t("next"));
      var a = el("a", null, next.textContent);
      a.href = next.href;
      p.appendChild(a);
      box.appendChild(p);
    }
  }

  function enhanceProfile() {
    document.querySelectorAll("[data-tb-path-select]").forEach(function (sel) {
      sel.closest(".tb-path-select").hidden = false;
      sel.onchange = function () { change(function (s) { s.path = sel.value; }); };
    });
    var state = load();
    document.querySelectorAll(".tb-rate[data-trait]").forEach(function (fs) {
      var id = fs.getAttribute("data-trait");
      fs.querySelectorAll("input").forEach(function (radio) {
        radio.checked = String(state.ratings[id] || "") === radio.value;
        radio.onchange = function () { change(function (s) { s.ratings[id] = +radio.value; }); };
      });
    });
    // The drawing's node links are directory URLs; the page's own trait links follow the build's style.
    document.querySelectorAll("a.tb-node[data-trait]").forEach(function (a) {
      var link = traitLink(a.getAttribute("data-trait"));
      if (link) a.setAttributeNS("http://www.w3.org/1999/xlink", "xlink:href", link.getAttribute("href"));
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
    box.appendChild(button(t("reset_trait"), "", function () {
      if (!window.confirm(t("confirm_reset_trait"))) return;
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
    file.setAttribute("aria-label", t("import_file"));
    file.hidden = true;
    file.addEventListener("change", function () {
      var f = file.files && file.files[0];
      if (!f) return;
      f.text().then(function (text) {
        var data = upgrade(JSON.parse(text));
        if (!valid(data)) throw new Error(t("not_progress_file"));
        save(data);
        refresh();
        status.textContent = t("imported");
      }).catch(function (e) { status.textContent = t("import_failed", { reason: e.message }); });
      file.value = "";
    });
    host.appendChild(el("h2", "tb-panel__title", t("panel_title")));
    host.appendChild(el("p", null, t("panel_intro")));
    var row = el("div", "tb-actions");
    row.appendChild(button(t("export"), "", function () {
      var blob = new Blob([JSON.stringify(load(), null, 2)], { type: "application/json" });
      var a = el("a");
      a.href = URL.createObjectURL(blob);
      a.download = "traitbook-progress.json";
      document.body.appendChild(a);
      a.click();
      a.remove();
      status.textContent = t("exported");
    }));
    row.appendChild(button(t("import"), "", function () { file.click(); }));
    row.appendChild(file);
    row.appendChild(button(t("reset_all"), "", function () {
      if (!window.confirm(t("confirm_reset_all"))) return;
      var state = load();
      var fresh = empty();
      fresh.totals = state.totals;
      save(fresh);
      refresh();
      status.textContent = t("cleared");
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
    enhanceProfile();
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
