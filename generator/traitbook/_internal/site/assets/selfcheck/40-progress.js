/* Progress on the page: badges, per-trait counters, reset, export and import. */
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
      var data = clean(upgrade(JSON.parse(text)));
      if (!data) throw new Error(t("not_progress_file"));
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
