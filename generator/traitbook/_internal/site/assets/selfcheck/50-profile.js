/* The self-assessment: ratings, the radar, gaps against a path's targets, snapshots. */
/* ---- self-assessment, paths and snapshots ---- */

var compareWith = -1; // index of the snapshot the profile compares with; -1: the latest

function change(fn) { var state = load(); fn(state); save(state); refresh(); }

function targets(state) {
  var opt = state.path && byAttr(document, "[data-tb-path-select] option", "value", state.path);
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

function traitLink(id) { return byAttr(document, ".tb-trait-link[data-trait]", "data-trait", id); }

function profile(box, state) {
  box.hidden = false;
  // biome-ignore lint/suspicious/noThenProperty: the series of the snapshot compared with (class tb-series--then); never awaited
  var svg = box.querySelector("svg"), goal = map(), series = { you: [], check: [], target: [], then: [] };
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
    var you = state.ratings[w.id] || 0, link = traitLink(w.id), tr = byAttr(box, "tr[data-trait]", "data-trait", w.id);
    var row = tr && tr.querySelector("th");
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
    const label = el("label", null, t("compare_with"));
    const pick = el("select");
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
