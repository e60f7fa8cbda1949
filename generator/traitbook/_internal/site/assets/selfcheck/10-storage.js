/* Storage: the learner's progress in localStorage (one key per site), the words of the page,
 * and progress per trait. Everything read back is checked entry by entry (clean): storage and
 * imported files are input like any other. */
// 2 added ratings, snapshots and the chosen path; 3 the options of each choice exercise's
// last check (chosen). Versions 1 and 2 are upgraded.
var VERSION = 3;
// Keys carry the site's own path, so two sites on one host (user.github.io/a/ and /b/)
// never share progress. The base comes from Material's config, read once at first load.
var SCOPE = (function () {
  try {
    const cfg = JSON.parse(document.getElementById("__config").textContent);
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
  var text = Object.hasOwn(WORDS, key) ? WORDS[key] : key;
  return text.replace(/\{([a-z_]+)\}/g, function (whole, name) {
    return params && Object.hasOwn(params, name) ? String(params[name]) : whole;
  });
}
var memory = null; // used when storage is blocked: exercises still work, nothing is saved

// Maps without a prototype: a stored or page key such as "__proto__" or "constructor" is an
// ordinary entry, never Object's own property.
function map() { return Object.create(null); }

function empty() {
  return { version: VERSION, exercises: map(), reflections: map(), totals: map(), ratings: map(), snapshots: [], path: "" };
}

function upgrade(data) {
  if (isObject(data) && data.version === 1) { data.version = 2; data.ratings = {}; data.snapshots = []; data.path = ""; }
  // Version 2 kept no choices: its exercises count as answered, with nothing to show again.
  if (isObject(data) && data.version === 2) data.version = 3;
  return data;
}

function isObject(value) { return !!value && typeof value === "object" && !Array.isArray(value); }

function isCount(value) { return typeof value === "number" && value >= 0 && value <= 100000 && Math.floor(value) === value; }

// Copies the entries of ``source`` (an object, else nothing) that ``keep`` turns into a value.
function entries(source, keep) {
  var out = map();
  if (!isObject(source)) return out;
  Object.keys(source).forEach(function (k) {
    var value = keep(source[k]);
    if (value !== undefined) out[k] = value;
  });
  return out;
}

function rating(value) { return isCount(value) && value >= 1 && value <= 20 ? value : undefined; }

// The options a check chose: 1 to 100 indexes below 100, rising (so none twice). Whether they
// fit the exercise is for the page to say (enhanceChoice).
function chosen(list) {
  return Array.isArray(list) && list.length > 0 && list.length <= 100 && list.every(function (n, i) {
    return isCount(n) && n < 100 && (!i || n > list[i - 1]);
  });
}

// What storage or an imported file holds, reduced to entries of the expected types (a wrong
// entry is dropped, the rest kept); null when it is not progress of this version at all.
function clean(data) {
  if (!isObject(data) || data.version !== VERSION) return null;
  var state = empty();
  state.exercises = entries(data.exercises, function (r) {
    if (!isObject(r)) return undefined;
    var rec = { answered: r.answered === true, correct: r.correct === true, first: r.first === true };
    if (rec.answered && chosen(r.chosen)) rec.chosen = r.chosen.slice();
    return rec;
  });
  state.reflections = entries(data.reflections, function (text) { return typeof text === "string" ? text : undefined; });
  state.totals = entries(data.totals, function (n) { return isCount(n) ? n : undefined; });
  state.ratings = entries(data.ratings, rating);
  state.snapshots = (Array.isArray(data.snapshots) ? data.snapshots : []).filter(function (snap) {
    return isObject(snap) && typeof snap.date === "string" && /^\d{4}-\d{2}-\d{2}$/.test(snap.date);
  }).map(function (snap) { return { date: snap.date, ratings: entries(snap.ratings, rating) }; });
  state.path = typeof data.path === "string" && /^[a-z0-9-]{1,100}$/.test(data.path) ? data.path : "";
  return state;
}

function load() {
  if (memory) return memory;
  var raw;
  try {
    raw = window.localStorage.getItem(KEY);
  } catch (e) {
    memory = empty(); // storage blocked: work in memory
    return memory;
  }
  try {
    return clean(upgrade(JSON.parse(raw || "null"))) || empty();
  } catch (e) {
    return empty(); // damaged: start afresh, and the next save replaces it
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
