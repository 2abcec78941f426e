/* Small screens: the header's menu and the list filters fold away, so a page's work (its
   tasks, queue or plans) is on the first screen. Without this script they stay open.
   Elements: <details class="fold-narrow" open>; the fold follows the screen's width until
   the user opens or closes one by hand. One marked data-keep-open (filters with an error
   to read) stays open. */
(function () {
  "use strict";
  var narrow = window.matchMedia("(max-width: 700px)");
  var folds = document.querySelectorAll("details.fold-narrow");
  function fit() {
    folds.forEach(function (fold) {
      if (!fold.hasAttribute("data-touched") && !fold.hasAttribute("data-keep-open")) {
        fold.open = !narrow.matches;
      }
    });
  }
  folds.forEach(function (fold) {
    var summary = fold.querySelector("summary");
    if (summary) {
      summary.addEventListener("click", function () {
        fold.setAttribute("data-touched", "");
      });
    }
  });
  fit();
  if (narrow.addEventListener) {
    narrow.addEventListener("change", fit);
  }
})();
