/* Protokollarkiv's additions to Decap CMS (loaded after decap-cms.js on /admin/):
   - "protokollarkiv-choice": a select whose values YAML writes as they are (true, false, null), and
     which keeps a value it does not list (a role written as free text stays as written);
   - "beslut": the `::: beslut` block of the minutes as an editor component;
   - a field left empty is not written: Decap writes an emptied date (or text) as "", which the
     validator reads as a wrong date ('adjusted_on' is not a date: '').
   Labels come from the page (data- attributes written from the string table). */
(function () {
  "use strict";
  var CMS = window.CMS;
  var h = window.h;
  var script = document.currentScript;
  var text = script ? script.dataset : {};

  function key(value) {
    return value === undefined ? "" : JSON.stringify(value);
  }

  var Choice = window.createClass({
    handleChange: function (event) {
      var raw = event.target.value;
      this.props.onChange(raw === "" ? undefined : JSON.parse(raw));
    },
    render: function () {
      var field = this.props.field;
      var choices = field.get("choices").toJS();
      var value = this.props.value;
      var shown = value === undefined && field.has("default") ? field.get("default") : value;
      var listed = choices.some(function (c) { return key(c.value) === key(shown); });
      if (!listed && shown !== undefined) {
        choices = choices.concat([{ label: String(shown), value: shown }]);
      }
      var options = choices.map(function (c) {
        return h("option", { key: key(c.value), value: key(c.value) }, c.label);
      });
      if (!field.has("default")) {
        options.unshift(h("option", { key: "", value: "" }, ""));
      }
      return h(
        "select",
        {
          id: this.props.forID,
          className: this.props.classNameWrapper,
          value: key(shown),
          onChange: this.handleChange,
          onFocus: this.props.setActiveStyle,
          onBlur: this.props.setInactiveStyle,
        },
        options
      );
    },
  });

  var ChoicePreview = window.createClass({
    render: function () {
      var value = this.props.value;
      var found = this.props.field.get("choices").toJS().filter(function (c) {
        return key(c.value) === key(value);
      });
      return h("span", {}, found.length ? found[0].label : value === undefined ? "" : String(value));
    },
  });

  CMS.registerWidget("protokollarkiv-choice", Choice, ChoicePreview);

  // Decap's values are Immutable.js collections: a Map's "" values go, in lists and maps alike.
  function withoutEmpty(value) {
    if (value && value["@@__IMMUTABLE_KEYED__@@"]) {
      return value.filter(function (v) { return v !== ""; }).map(withoutEmpty);
    }
    if (value && value["@@__IMMUTABLE_INDEXED__@@"]) {
      return value.map(withoutEmpty);
    }
    return value;
  }

  CMS.registerEventListener({
    name: "preSave",
    handler: function (event) {
      return withoutEmpty(event.entry.get("data"));
    },
  });

  CMS.registerEditorComponent({
    id: "beslut",
    label: text.decision || "Beslut",
    fields: [{ name: "text", label: text.decisionText || "Beslutet", widget: "text" }],
    pattern: /^::: *beslut *\n([\s\S]*?)\n:::(?=\n|$)/,
    fromBlock: function (match) {
      return { text: match[1] };
    },
    toBlock: function (data) {
      return "::: beslut\n" + (data.text || "").replace(/\n+$/, "") + "\n:::";
    },
    toPreview: function (data) {
      return h("div", { className: "decision" }, h("strong", {}, text.decision || "Beslut"), h("p", {}, data.text || ""));
    },
  });
})();
