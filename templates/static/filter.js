// Decision register: filter the list by network, municipality and year without a reload.
// Without JavaScript the whole register is shown; the form then only reloads the page.
(function () {
  "use strict";
  var form = document.getElementById("decision-filters");
  if (!form) return;
  var entries = Array.prototype.slice.call(document.querySelectorAll(".decision-entry"));
  var status = document.getElementById("decision-count");
  var none = document.getElementById("decision-none"); // why nothing is shown, and where to go
  var fields = ["natverk", "kommun", "ar"];

  function apply() {
    var shown = 0;
    entries.forEach(function (entry) {
      var visible = fields.every(function (name) {
        var wanted = form.elements[name].value;
        return !wanted || entry.getAttribute("data-" + name).split(" ").indexOf(wanted) !== -1;
      });
      entry.hidden = !visible;
      if (visible) shown += 1;
    });
    status.textContent = status.getAttribute("data-template")
      .replace("{shown}", String(shown)).replace("{total}", String(entries.length));
    if (none) none.hidden = shown !== 0;
  }

  function fromUrl() {
    var params = new URLSearchParams(window.location.search);
    fields.forEach(function (name) {
      var value = params.get(name);
      if (value !== null) form.elements[name].value = value;
    });
    apply();
  }

  form.addEventListener("change", function () {
    var params = new URLSearchParams();
    fields.forEach(function (name) {
      if (form.elements[name].value) params.set(name, form.elements[name].value);
    });
    var query = params.toString();
    history.replaceState(null, "", query ? "?" + query : window.location.pathname);
    apply();
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    apply();
  });
  fromUrl();
})();
