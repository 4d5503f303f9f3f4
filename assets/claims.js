/* Claims register filters: a topic and a verdict <select> hide non-matching
 * rows of table.claims-table. Rows carry classes "topic-<t>" and "verdict-<v>".
 * No libraries, no network. Does nothing on pages without the register. */
(function () {
  "use strict";

  function init() {
    var form = document.querySelector("form.claims-filter");
    var table = document.getElementById("claims-register");
    if (!form || !table) { return; }
    var rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr"));
    var selects = Array.prototype.slice.call(form.querySelectorAll("select[data-filter]"));
    var status = form.querySelector(".claims-filter-status");
    var reset = form.querySelector(".claims-filter-reset");

    function apply() {
      var wanted = {};
      selects.forEach(function (s) { wanted[s.getAttribute("data-filter")] = s.value; });
      var shown = 0;
      rows.forEach(function (row) {
        var ok = Object.keys(wanted).every(function (key) {
          return !wanted[key] || row.classList.contains(key + "-" + wanted[key]);
        });
        row.classList.toggle("claims-hidden", !ok);
        row.hidden = !ok;
        if (ok) { shown += 1; }
      });
      if (status) {
        status.textContent = "Showing " + shown + " of " + rows.length + " claims.";
      }
    }

    function showAll() {
      selects.forEach(function (s) { s.value = ""; });
      apply();
    }

    /* Following a link to #claim-cNN must never land on a hidden row. */
    function revealTarget() {
      var id = decodeURIComponent(window.location.hash.slice(1));
      if (!id) { return; }
      var target = document.getElementById(id);
      if (target && target.hidden && table.contains(target)) {
        showAll();
        target.scrollIntoView();
      }
    }

    selects.forEach(function (s) { s.addEventListener("change", apply); });
    if (reset) { reset.addEventListener("click", showAll); }
    window.addEventListener("hashchange", revealTarget);
    form.hidden = false;  /* controls appear only when they can work */
    apply();
    revealTarget();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
