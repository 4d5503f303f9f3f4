// MathJax (vendor/mathjax/tex-chtml.js, 1.1 MiB, about 1.5 s of a phone's CPU) loads once the
// reader has scrolled or touched the page and a formula is within a screen of the viewport, or
// when the page is printed; not with the page, so it never delays the first paint or input.
// The page names the script (data-mathjax) on this script's tag; _ext/book_speed.py adds both.
(function () {
  "use strict";
  var SRC = document.currentScript.dataset.mathjax;
  var loading = null;
  function load() {
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        var s = document.createElement("script");
        s.src = SRC;
        s.async = true;
        s.onload = function () {
          var ready = window.MathJax && MathJax.startup && MathJax.startup.promise;
          (ready || Promise.resolve()).then(resolve, reject);
        };
        s.onerror = function () { reject(new Error("MathJax did not load: " + SRC)); };
        document.head.appendChild(s);
      });
    }
    return loading;
  }
  // Waited on before printing (scripts/make_pdf.py), so the PDF has typeset maths.
  window.claimcheckMath = load;
  window.addEventListener("beforeprint", load);
  var maths = document.querySelectorAll(".math, mjx-container");
  if (!maths.length) return;
  // As for the charts (chart-loader.js): nothing runs until the reader scrolls, points, touches
  // or presses a key; the formulas show as their TeX source until then.
  // Listened for on window without capture: the theme scrolling its sidebar (an element, whose
  // scroll event does not bubble) is not the reader scrolling the page.
  var EVENTS = ["scroll", "wheel", "pointerdown", "pointermove", "touchstart", "keydown"];
  function arm() {
    EVENTS.forEach(function (e) { window.removeEventListener(e, arm, { passive: true }); });
    if (!("IntersectionObserver" in window)) { load(); return; }
    var near = new IntersectionObserver(function (entries) {
      if (entries.some(function (e) { return e.isIntersecting; })) { near.disconnect(); load(); }
    }, { rootMargin: "100% 0px" });
    maths.forEach(function (m) { near.observe(m); });
  }
  EVENTS.forEach(function (e) { window.addEventListener(e, arm, { passive: true }); });
  if (location.hash) arm();
})();
