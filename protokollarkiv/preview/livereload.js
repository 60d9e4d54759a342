// Protokollarkiv preview: reload when the site is rebuilt, keeping the scroll position.
(function () {
  "use strict";
  var me = document.currentScript;
  var version = me ? Number(me.getAttribute("data-version")) : null;
  var key = "protokollarkiv-scroll:" + location.pathname;
  var saved = sessionStorage.getItem(key);
  if (saved !== null) {
    sessionStorage.removeItem(key);
    var restore = function () { window.scrollTo(0, Number(saved)); };
    restore();
    window.addEventListener("load", restore);
  }
  function reload() {
    sessionStorage.setItem(key, String(window.scrollY));
    location.reload();
  }
  function here() {
    try {
      return decodeURI(location.pathname).replace(/index\.html$/, "");
    } catch (error) {
      return location.pathname;
    }
  }
  // The panel of errors and warnings: closed, it stays closed while the same problems are shown
  // (every rebuild reloads the page); Escape inside it folds it to its title bar.
  var closedKey = "protokollarkiv-closed";
  document.querySelectorAll(".protokollarkiv-overlay").forEach(function (panel) {
    var digest = panel.getAttribute("data-digest");
    if (sessionStorage.getItem(closedKey) === digest) panel.hidden = true;
    var close = panel.querySelector("[data-protokollarkiv-close]");
    if (close) {
      close.addEventListener("click", function () {
        panel.hidden = true;
        sessionStorage.setItem(closedKey, digest);
      });
    }
    panel.addEventListener("keydown", function (event) {
      var details = panel.querySelector("details");
      if (event.key === "Escape" && details && details.open) {
        details.open = false;
        var summary = details.querySelector("summary");
        if (summary) summary.focus();
      }
    });
  });
  var events = new EventSource("/__protokollarkiv/events");
  events.addEventListener("hello", function (event) {
    if (version !== null && JSON.parse(event.data).version !== version) reload();
  });
  // `urls`, when sent, names the only pages that changed: the others stay as they are.
  events.addEventListener("reload", function (event) {
    var data = JSON.parse(event.data);
    if (data.urls && data.urls.indexOf(here()) < 0) {
      version = data.version;
      return;
    }
    reload();
  });
  events.addEventListener("css", function () {
    document.querySelectorAll('link[rel="stylesheet"]').forEach(function (link) {
      var url = new URL(link.href);
      url.searchParams.set("v", String(Date.now()));
      link.href = url.toString();
    });
  });
})();
