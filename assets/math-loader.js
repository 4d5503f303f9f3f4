// MathJax (vendor/mathjax/tex-chtml.js, 1.1 MiB) loads when the page's first formula comes within
// a screen of the viewport, or when the page is printed, not with the page: a reader who opens
// the methods page at its top reads prose first and pays for MathJax only on the way to the maths.
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
  if (!("IntersectionObserver" in window)) { load(); return; }
  var near = new IntersectionObserver(function (entries) {
    if (entries.some(function (e) { return e.isIntersecting; })) { near.disconnect(); load(); }
  }, { rootMargin: "100% 0px" });
  maths.forEach(function (m) { near.observe(m); });
})();
