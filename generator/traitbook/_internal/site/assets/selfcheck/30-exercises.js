/* Exercises: checking choice questions with feedback on every option; reflections and tasks
 * kept as the learner types. */
/* ---- choice questions ---- */

function options(box) {
  return Array.prototype.map.call(box.querySelectorAll(".tb-feedback__item"), function (li) {
    var input = byAttr(box, "input", "value", li.getAttribute("data-option"));
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
  // Filled before it joins the page: a restored result is laid out once and not announced.
  restore(load().exercises[key]);
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

  // The marks, verdict and feedback for the options checked.
  function show() {
    var picked = opts.filter(function (o) { return o.input.checked; });
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
    return right;
  }

  function submit() {
    result.textContent = "";
    var picked = [];
    opts.forEach(function (o, i) { if (o.input.checked) picked.push(i); });
    if (!picked.length) {
      result.appendChild(el("p", "tb-result__hint", t("choose_first")));
      return;
    }
    var right = show();
    var prev = load().exercises[key];
    record(key, { answered: true, correct: right, first: prev && prev.answered ? !!prev.first : right, chosen: picked });
    result.focus();
  }

  // The last check shown again as it was; no new attempt, so nothing is recorded. Only when
  // its choices fit the exercise as the page has it (one for a single choice, each an option)
  // and give the verdict recorded: otherwise the exercise has changed since.
  function restore(rec) {
    var picked = rec && rec.chosen;
    if (!picked || picked[picked.length - 1] >= opts.length) return;
    if (picked.length > 1 && box.getAttribute("data-kind") !== "multiple") return;
    var right = opts.every(function (o, i) { return (picked.indexOf(i) >= 0) === o.correct; });
    if (right !== rec.correct) return;
    opts.forEach(function (o, i) { o.input.checked = picked.indexOf(i) >= 0; });
    show();
  }

  function reset() {
    result.textContent = "";
    clearMarks();
    opts.forEach(function (o) { o.input.disabled = false; o.input.checked = false; });
    check.hidden = false;
    retry.hidden = true;
    opts[0].input.focus();
    // The page shows no answer now, nor after a reload; the exercise still counts as answered.
    var rec = load().exercises[key];
    if (rec && rec.chosen) record(key, { chosen: undefined });
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
