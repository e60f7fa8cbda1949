/* A path's page: where the learner stands on each step, and what to do next. */
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
    const line = el("p", null, t("next"));
    const a = el("a", null, next.textContent);
    a.href = next.href;
    line.appendChild(a);
    box.appendChild(line);
  }
}
