// Decision register: filter one year's decisions by words, network and municipality without a
// reload, and count what is shown. Without JavaScript the form stays hidden: the year pages and
// the formalities switch (plain CSS) still work. Old links (/beslut/?ar=2020) go to the year's page.
(function () {
  "use strict";
  var form = document.getElementById("decision-filters");
  if (!form) return;
  var params = new URLSearchParams(window.location.search);
  var year = params.get("ar");
  if (year !== null && /^\d{4}$/.test(year)) {
    params.delete("ar");
    var rest = params.toString();
    window.location.replace("/beslut/" + year + "/" + (rest ? "?" + rest : ""));
    return;
  }
  form.hidden = false;
  var entries = Array.prototype.slice.call(document.querySelectorAll(".decision-entry"));
  var meetings = entries.map(function (entry) { return entry.closest(".register-meeting"); });
  // An entry's words: its own and its meeting's (date, title, networks).
  var texts = entries.map(function (entry, index) {
    var group = meetings[index];
    var head = group.firstElementChild.textContent + " " + group.querySelector(".meta-line").textContent;
    return (head + " " + entry.textContent).toLowerCase();
  });
  var status = document.getElementById("decision-count");
  var none = document.getElementById("decision-none");
  var searchLink = document.getElementById("decision-search");
  var procedural = document.getElementById("show-procedural");
  var fields = ["q", "natverk", "kommun"];

  function apply() {
    var words = form.elements.q.value.toLowerCase().split(/\s+/).filter(Boolean);
    var formal = procedural ? procedural.checked : true;
    var shown = 0;
    var total = 0;
    entries.forEach(function (entry, index) {
      var counted = formal || !entry.classList.contains("is-procedural");
      var group = meetings[index];
      var kommun = (group.getAttribute("data-kommun") + " " +
        (entry.getAttribute("data-kommun-item") || "")).split(" ");
      var natverk = form.elements.natverk.value;
      var wanted = form.elements.kommun.value;
      var visible = counted && words.every(function (word) {
        return texts[index].indexOf(word) !== -1;
      }) && (!natverk || group.getAttribute("data-natverk").split(" ").indexOf(natverk) !== -1) &&
        (!wanted || kommun.indexOf(wanted) !== -1);
      entry.hidden = !visible;
      if (counted) total += 1;
      if (visible) shown += 1;
    });
    meetings.forEach(function (group) {  // a meeting none of whose decisions is shown is hidden
      group.hidden = !group.querySelector(".decision-entry:not([hidden])");
    });
    status.textContent = status.getAttribute("data-template")
      .replace("{shown}", String(shown)).replace("{total}", String(total));
    none.hidden = shown !== 0;
    var query = form.elements.q.value.trim();
    searchLink.parentNode.hidden = !query;
    if (query) {
      searchLink.textContent = form.getAttribute("data-search-label").replace("{q}", query);
      searchLink.href = form.getAttribute("data-search") + "?" +
        new URLSearchParams({ q: query, typ: form.getAttribute("data-search-type") }).toString();
    }
  }

  function remember() {
    var next = new URLSearchParams();
    fields.forEach(function (name) {
      if (form.elements[name].value) next.set(name, form.elements[name].value);
    });
    if (procedural && procedural.checked) next.set("formalia", "1");
    var query = next.toString();
    history.replaceState(null, "", query ? "?" + query : window.location.pathname);
    apply();
  }

  fields.forEach(function (name) {
    var value = params.get(name);
    if (value !== null) form.elements[name].value = value;
  });
  if (procedural && params.get("formalia") === "1") procedural.checked = true;
  form.addEventListener("input", remember);
  form.addEventListener("change", remember);
  if (procedural) procedural.addEventListener("change", remember);
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    remember();
  });
  apply();
})();
