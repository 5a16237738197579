/*
 * The live password checklist: ticks each rule off while the user types.
 *
 * Reads the rules from the data attributes the server renders (see
 * identity.policy.describe_password_policy): data-password-rules (JSON),
 * data-password-input / data-confirm-input (the fields' ids) and the words for
 * screen readers (data-met-text, data-unmet-text, data-server-text). Rules
 * with data-server-only (breached list, zxcvbn) are checked on submit only.
 * The server checks every rule again; this is a help, not the gate.
 * Lengths are String.length: UTF-16 code units, as Active Directory counts.
 */
(function () {
  "use strict";

  var ASCII_UPPER = /^[A-Z]$/;
  var ASCII_LOWER = /^[a-z]$/;
  var ASCII_DIGIT = /^[0-9]$/;
  var ALNUM = /^[\p{L}\p{N}]$/u;
  var UPPER = /^\p{Lu}$/u;
  var LOWER = /^\p{Ll}$/u;

  // The same five categories as identity/directory/complexity.py.
  function categoryCount(password) {
    var found = { upper: false, lower: false, digit: false, special: false, other: false };
    for (var ch of password) {
      if (ASCII_UPPER.test(ch)) found.upper = true;
      else if (ASCII_LOWER.test(ch)) found.lower = true;
      else if (ASCII_DIGIT.test(ch)) found.digit = true;
      else if (!ALNUM.test(ch)) found.special = true;
      else if (UPPER.test(ch)) found.upper = true;
      else if (LOWER.test(ch)) found.lower = true;
      else found.other = true;
    }
    return Object.keys(found).filter(function (k) { return found[k]; }).length;
  }

  function containsAny(password, words) {
    var folded = password.toLowerCase();
    return words.some(function (word) { return word && folded.indexOf(word.toLowerCase()) !== -1; });
  }

  function evaluate(rules, password, again) {
    return {
      min_length: password.length >= rules.min_length,
      max_length: password.length <= rules.max_length,
      complexity: categoryCount(password) >= rules.categories_required,
      name: !containsAny(password, rules.name_parts || []),
      forbidden: !containsAny(password, rules.forbidden_words || []),
      match: again.length > 0 && password === again
    };
  }

  function init(box) {
    var rules;
    try {
      rules = JSON.parse(box.getAttribute("data-password-rules"));
    } catch (e) {
      return;
    }
    var input = document.getElementById(box.getAttribute("data-password-input"));
    var confirm = document.getElementById(box.getAttribute("data-confirm-input"));
    if (!input) return;
    var words = {
      met: box.getAttribute("data-met-text") || "",
      unmet: box.getAttribute("data-unmet-text") || "",
      server: box.getAttribute("data-server-text") || ""
    };
    var items = box.querySelectorAll("li[data-rule]");

    function update() {
      var password = input.value;
      var again = confirm ? confirm.value : "";
      var results = evaluate(rules, password, again);
      items.forEach(function (item) {
        var code = item.getAttribute("data-rule");
        var mark = item.querySelector(".rule-mark");
        var state = item.querySelector(".rule-state");
        var value;
        if (item.hasAttribute("data-server-only")) {
          value = "server";
        } else if (code === "match" ? !again : !password) {
          value = "empty";
        } else {
          value = results[code] ? "met" : "unmet";
        }
        item.setAttribute("data-state", value);
        if (mark) mark.textContent = value === "met" ? "✓" : value === "unmet" ? "✗" : "•";
        if (state) {
          state.textContent = value === "met" ? " (" + words.met + ")"
            : value === "unmet" ? " (" + words.unmet + ")"
            : value === "server" ? " (" + words.server + ")" : "";
        }
      });
    }

    // The server's errors are about the password sent before: once the user
    // types a new one, the live checklist speaks instead of them.
    function forgetServerErrors(field) {
      var error = document.getElementById(field.id + "_error");
      if (error) error.hidden = true;
      var box = field.closest(".field");
      if (box) box.classList.remove("has-error");
      field.removeAttribute("aria-invalid");
      ["password-summary", "password-error"].forEach(function (id) {
        var alert = document.getElementById(id);
        if (alert) alert.hidden = true;
      });
    }

    input.addEventListener("input", function () { forgetServerErrors(input); update(); });
    if (confirm) confirm.addEventListener("input", function () { forgetServerErrors(confirm); update(); });
    update();
  }

  function start() {
    document.querySelectorAll("[data-password-rules]").forEach(init);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
