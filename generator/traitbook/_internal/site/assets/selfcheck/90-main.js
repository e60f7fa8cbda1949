/* Start: enhance whatever the page holds, now and after every instant navigation. */
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

// init is idempotent. Run it now: the theme loads this script after the page's content, so
// the exercises are there, and answers restored now are in place before the page is shown
// with them. Again once the document is complete (document$ may have emitted before this
// script ran, as it does without instant navigation, e.g. from file://) and on every page change.
init();
if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(init);
