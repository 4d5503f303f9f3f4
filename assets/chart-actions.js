// vega-embed's action menu is a <summary> holding only an icon: give it a name screen
// readers and voice control can use (axe: summary-name).
(function () {
  var NAME = "Save this chart (SVG or PNG)";
  function label(root) {
    root.querySelectorAll(".vega-embed details > summary:not([aria-label])").forEach(function (s) {
      s.setAttribute("aria-label", NAME);
    });
  }
  new MutationObserver(function () { label(document); })
    .observe(document.documentElement, { childList: true, subtree: true });
  document.addEventListener("DOMContentLoaded", function () { label(document); });
})();
