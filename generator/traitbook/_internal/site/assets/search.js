/* Two helpers around Material's search box; Material itself is not changed.
   1. A hyphen between letters becomes a space before Material reads the query. lunr's query
      parser splits words at hyphens and Material keeps the rest of the word on each part, so
      "buy-in" would search for "in*", every word that starts with "in".
   2. When a query finds nothing, it runs again with one wrong letter allowed in each longer word
      (lunr's documented "~1"), so "leadersip" finds "leadership". The form's data-tb-fuzzy
      attribute says "pending" while that search runs and "done" when its results are shown. */
(function () {
  // biome-ignore lint/suspicious/noRedundantUseStrict: served as a classic script, not a module
  "use strict";
  var HYPHEN = /([A-Za-z\u00C0-\u024F])-(?=[A-Za-z\u00C0-\u024F])/g;

  function box() { return document.querySelector(".md-search__input"); }

  document.addEventListener("keyup", function (event) {
    var input = event.target;
    if (!input || !input.classList || !input.classList.contains("md-search__input")) return;
    var fixed = input.value.replace(HYPHEN, "$1 ");
    if (fixed === input.value) return;
    var caret = input.selectionStart;
    input.value = fixed; // the same length: the caret stays where it was
    input.setSelectionRange(caret, caret);
  }, true); // capture: runs before Material's own listener reads the value

  function relaxed(query) {
    if (/[~*^:+]/.test(query)) return null; // the reader wrote lunr syntax: leave it alone
    var words = query.trim().split(/\s+/);
    var changed = false;
    var out = words.map(function (w) {
      if (w.length < 5) return w;
      changed = true;
      return w + "~1";
    });
    return changed ? out.join(" ") : null;
  }

  function watch(result) {
    var form = document.querySelector(".md-search__form");
    var list = result.querySelector(".md-search-result__list");
    var meta = result.querySelector(".md-search-result__meta");
    if (!form || !list || !meta) return;
    new MutationObserver(function () {
      var input = box();
      if (!input) return;
      if (form.getAttribute("data-tb-fuzzy") === "pending" && input.value.indexOf("~1") !== -1) {
        form.setAttribute("data-tb-fuzzy", "done");
        return;
      }
      if (list.children.length || !input.value.trim()) {
        if (input.value.indexOf("~1") === -1) form.removeAttribute("data-tb-fuzzy");
        return;
      }
      var query = relaxed(input.value);
      if (!query) { form.setAttribute("data-tb-fuzzy", "done"); return; }
      form.setAttribute("data-tb-fuzzy", "pending");
      input.value = query;
      input.dispatchEvent(new KeyboardEvent("keyup", { bubbles: true }));
    }).observe(meta, { childList: true, characterData: true, subtree: true });
  }

  function init() {
    var result = document.querySelector(".md-search-result:not([data-tb-watched])");
    if (!result) return;
    result.setAttribute("data-tb-watched", "");
    watch(result);
  }
  // Instant navigation may replace the header; document$ (Material's public observable)
  // announces every new page.
  if (window.document$ && window.document$.subscribe) window.document$.subscribe(init);
  else init();
})();
