/* Building elements: text only through textContent, never HTML from data. */
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

// The first element matching ``selector`` under ``root`` whose attribute ``name`` is ``value``.
// Values from storage or the page are compared, never pasted into a selector: a stored
// "x']" would make the selector invalid and throw.
function byAttr(root, selector, name, value) {
  var all = root.querySelectorAll(selector);
  for (let i = 0; i < all.length; i++) if (all[i].getAttribute(name) === value) return all[i];
  return null;
}
