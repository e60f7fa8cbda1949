/* Runs before Material's bundle: Material's search worker is started inside Traitbook's
   (search-worker.js), which searches the reader's words more forgivingly (a hyphen read as a
   space, word stems, one wrong letter) without ever changing what is in the search box.
   The worker's answer names the query it answers; the search form shows it in
   data-tb-answered, so a script or a test can tell the results of the last query from those of
   an earlier one. */
(function () {
  // biome-ignore lint/suspicious/noRedundantUseStrict: served as a classic script, not a module
  "use strict";
  var RESULT = 3;
  var MATERIAL_WORKER = /\/workers\/search\.[^/?#]*\.js(?:[?#]|$)/;
  var me = document.currentScript;
  var Base = window.Worker;
  if (!me || typeof Base !== "function") return;
  var shim = new URL("search-worker.js", me.src).href;

  function show(event) {
    var message = event.data;
    if (!message || message.type !== RESULT || !message.data) return;
    var query = message.data.tbQuery;
    var form = document.querySelector(".md-search__form");
    if (form && typeof query === "string") form.setAttribute("data-tb-answered", query);
  }

  function Worker(url, options) {
    var address = String(url);
    if (!MATERIAL_WORKER.test(address)) return new Base(url, options);
    var material = new URL(address, document.baseURI).href;
    var worker = new Base(shim + "?material=" + encodeURIComponent(material), options);
    worker.addEventListener("message", show);
    return worker;
  }
  Worker.prototype = Base.prototype;
  window.Worker = Worker;
})();
