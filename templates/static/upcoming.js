// Announced meetings: once the announced day is past (in the reader's calendar), say so. The
// pages do not depend on the day they are built, so the note is the reader's browser's to show.
(function () {
  "use strict";
  var now = new Date();
  var pad = function (n) { return (n < 10 ? "0" : "") + n; };
  var today = now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());
  document.querySelectorAll("[data-past-after]").forEach(function (note) {
    note.hidden = note.getAttribute("data-past-after") >= today;
  });
})();
