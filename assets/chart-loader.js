// Charts paint first as the SVG drawn at build time (the build's _ext/book_speed.py puts it in
// each chart's box and makes the chart's own script inert). Vega (vendor/vega-bundle.js, about
// 800 KiB) is fetched and run only once the reader scrolls, points, touches or presses a key;
// from then on each chart draws, interactive and with its export menu, as it nears the viewport.
// So a reader who only reads pays nothing for Vega, and a first paint never waits for it.
(function () {
  "use strict";
  // The page names the bundle (data-bundle, relative to the page) on this script's tag.
  var BUNDLE = document.currentScript.dataset.bundle;
  var INERT = "application/x-claimcheck-chart";
  var vega = null;

  function loadVega() {
    if (!vega) {
      vega = new Promise(function (resolve, reject) {
        var s = document.createElement("script");
        s.src = BUNDLE;
        s.onload = resolve;
        s.onerror = function () { reject(new Error("the chart library did not load: " + BUNDLE)); };
        document.head.appendChild(s);
      });
    }
    return vega;
  }

  function showError(div, err) {
    div.innerHTML = "";
    var box = document.createElement("div");
    box.className = "error";
    box.style.color = "#b00020";
    box.textContent = String(err && err.message || err);
    div.appendChild(box);
  }

  function draw(div) {
    if (div.dataset.chart) return;
    var inert = div.nextElementSibling;
    if (!inert || inert.type !== INERT) return;
    div.dataset.chart = "loading";
    loadVega().then(function () {
      // Keep the box the static picture held while vega-embed empties it and draws.
      var box = div.getBoundingClientRect().height;
      if (box) div.style.minHeight = box + "px";
      new MutationObserver(function (_, observer) {
        if (div.querySelector("svg.marks, canvas.marks, .error")) {
          div.style.minHeight = "";
          div.dataset.chart = "drawn";
          observer.disconnect();
        }
      }).observe(div, { childList: true, subtree: true });
      var live = document.createElement("script");
      live.text = inert.text;
      inert.replaceWith(live);  // runs it; its currentScript.previousElementSibling is the chart's div
    }, function (err) { showError(div, err); });
  }

  function charts() {
    return Array.prototype.slice.call(document.querySelectorAll('div[id^="altair-viz-"]'));
  }

  // Listened for on window without capture: the theme scrolling its sidebar (an element, whose
  // scroll event does not bubble) is not the reader scrolling the page.
  var EVENTS = ["scroll", "wheel", "pointerdown", "pointermove", "touchstart", "keydown"];
  var armed = false;
  function arm() {
    if (armed) return;
    armed = true;
    EVENTS.forEach(function (e) { window.removeEventListener(e, arm, { passive: true }); });
    if (!("IntersectionObserver" in window)) { charts().forEach(draw); return; }
    var near = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting) { near.unobserve(entry.target); draw(entry.target); }
      });
    }, { rootMargin: "400px 0px" });
    charts().forEach(function (div) { near.observe(div); });
  }
  EVENTS.forEach(function (e) { window.addEventListener(e, arm, { passive: true }); });
  // A page opened at a chart's anchor, or printed, is read already: draw what is in view.
  if (location.hash) arm();
  window.claimcheckCharts = { draw: draw, arm: arm };
})();
