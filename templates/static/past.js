// Notes about a day that may have passed since the page was built: an announced meeting's day,
// the last day of an appeal window. Shown once that day is past in the reader's calendar: pages do
// not depend on the day they are built (the anslagstavla, which does, says when it was built).
(function () {
  "use strict";
  var now = new Date();
  var pad = function (n) { return (n < 10 ? "0" : "") + n; };
  var today = now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());
  document.querySelectorAll("[data-past-after]").forEach(function (note) {
    note.hidden = note.getAttribute("data-past-after") >= today;
  });
})();
