/* The site's search worker: Material's own worker, run inside this one, with the reader's words
   searched more forgivingly. The search box is never touched: only what is searched for changes.

   Material's worker answers each message it receives (SETUP: the index; QUERY: the box's text)
   with one message (READY; RESULT). This worker loads Material's (its address is in this file's
   "material" parameter, put there by search.js) and stands between it and the page: messages are
   handled one at a time, and a QUERY is searched

   1. as typed, with a hyphen between letters read as a space ("buy-in" would otherwise become
      lunr's "buy" and "in*", every word starting with "in");
   2. then each of its words of four letters or more on its own: a word that finds nothing is
      replaced by its stem, the form lunr's stemmer for the site's language gives, if that finds
      something ("layering" → "layer"), else, from five letters, by itself with one letter wrong
      allowed (lunr's "~1": "insder" finds "insider"). If a word was replaced, the query is
      searched again in that form, and its answer is shown when it finds something.

   A query whose words all find something is answered as typed.

   The answer carries the query it answers (tbQuery), which search.js shows on the search form.
   A query in lunr's own syntax (~ * ^ : + quotes) is searched as written. */
(function () {
  // biome-ignore lint/suspicious/noRedundantUseStrict: served as a classic worker script, not a module
  "use strict";
  var SETUP = 0;
  var QUERY = 2;
  var HYPHEN = /([A-Za-z\u00C0-\u024F])-(?=[A-Za-z\u00C0-\u024F])/g;
  var SYNTAX = /[~*^:+"]|(?:^|\s)-/;
  var FUZZY_FROM = 5;
  var STEM_FROM = 4;

  var scope = self;
  // In a real worker this file's address is the worker's; under the iframe-worker shim (the
  // offline site, opened from disk) it is the address of the script element that runs it.
  var script = scope.document && scope.document.currentScript;
  var here = script ? script.src : scope.location.href;
  var material = new URL(here).searchParams.get("material");
  if (!material) return;

  var send = scope.postMessage.bind(scope);
  var listen = scope.addEventListener.bind(scope);
  var handlers = [];
  var answers = []; // resolvers of the messages sent to Material's worker, oldest first
  var registered;
  var whenRegistered = new Promise(function (resolve) { registered = resolve; });
  var language = "en";

  // Material's worker registers its message handler and answers through these two names.
  scope.addEventListener = function (type, handler, options) {
    if (type !== "message") return listen(type, handler, options);
    handlers.push(handler);
    registered();
  };
  scope.postMessage = function (message) {
    var resolve = answers.shift();
    if (resolve) resolve(message);
    else send(message);
  };

  function ask(message) {
    return new Promise(function (resolve) {
      answers.push(resolve);
      handlers.forEach(function (handler) { handler({ data: message }); });
    });
  }

  function stemmer() {
    var lunr = scope.lunr;
    if (!lunr || !lunr.Token) return null;
    if (language === "en") return lunr.stemmer || null;
    return (lunr[language] && lunr[language].stemmer) || null;
  }

  function stem(word) {
    var fn = stemmer();
    var text = "";
    if (!fn || word.length < STEM_FROM) return null;
    try {
      text = String(fn(new scope.lunr.Token(word.toLowerCase(), {})) || "");
    } catch (_error) {
      return null;
    }
    return text.length >= STEM_FROM - 1 && text !== word.toLowerCase() ? text : null;
  }

  function found(reply) {
    return Boolean(reply && reply.data && reply.data.items && reply.data.items.length);
  }

  function search(text) {
    return ask({ type: QUERY, data: text });
  }

  function stopWord(word) {
    var lunr = scope.lunr;
    var filter = lunr && (language === "en" ? lunr.stopWordFilter : lunr[language] && lunr[language].stopWordFilter);
    return Boolean(filter && lunr.Token && !filter(new lunr.Token(word.toLowerCase(), {})));
  }

  /* The form of ``word`` to search for: itself when it finds something on its own; else its
     stem when that does ("layering" → "layer"); else, from five letters, itself with one
     letter wrong ("insder" → "insder~1"); else itself. */
  function forgiving(word) {
    if (word.length < STEM_FROM || stopWord(word)) return Promise.resolve(word);
    return search(word).then(function (reply) {
      if (found(reply)) return word;
      var root = stem(word);
      var next = root ? search(root) : Promise.resolve(null);
      return next.then(function (rooted) {
        if (found(rooted)) return root;
        return word.length >= FUZZY_FROM ? word + "~1" : word;
      });
    });
  }

  function forgivingAll(words) {
    return words.reduce(function (done, word) {
      return done.then(function (out) {
        return forgiving(word).then(function (form) { return out.concat([form]); });
      });
    }, Promise.resolve([]));
  }

  /* The query as typed (a hyphen between letters read as a space); if some of its words find
     nothing on their own, the query again with those words in their forgiving form, whose
     answer is shown when it finds something. */
  function answer(query) {
    var typed = query.replace(HYPHEN, "$1 ");
    var words = typed.trim().split(/\s+/).filter(Boolean);
    return search(typed)
      .then(function (first) {
        if (SYNTAX.test(typed) || !words.length) return first;
        return forgivingAll(words).then(function (forms) {
          var relaxed = forms.join(" ");
          if (relaxed === words.join(" ")) return first;
          return search(relaxed).then(function (second) { return found(second) ? second : first; });
        });
      })
      .then(function (reply) {
        if (reply && reply.data) reply.data.tbQuery = query;
        return reply;
      });
  }

  var queue = Promise.resolve();
  listen("message", function (event) {
    var message = event.data;
    queue = queue
      .then(function () { return whenRegistered; })
      .then(function () {
        var lang = message && message.type === SETUP && message.data && message.data.config && message.data.config.lang;
        if (Array.isArray(lang) && typeof lang[0] === "string") language = lang[0];
        if (message && message.type === QUERY && typeof message.data === "string") return answer(message.data);
        if (message && message.type === SETUP) return ask(message);
        handlers.forEach(function (handler) { handler(event); }); // anything else: as Material would
        return null;
      })
      .then(function (reply) { if (reply) send(reply); })
      .catch(function (error) { scope.console.warn("search:", error); });
  });

  // Material's worker loads its language files ("../lunr/…") relative to where it runs, which
  // is its own folder, not this one; in the iframe shim, from the first script element with an
  // address. Both are made its own.
  var load = scope.importScripts;
  scope.importScripts = function (...urls) {
    return load.apply(scope, urls.map(function (url) { return new URL(url, material).href; }));
  };
  if (script) script.setAttribute("src", material);
  scope.importScripts(material);
})();
