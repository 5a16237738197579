/* Mobilkod: a number typed in international form (+46…, 0046…) picks its country.
   The calling-code map comes from the server in the select's data-calling-codes
   ({"46": ["SE"], "47": ["NO", "SJ"], …}, main region first). No inline script (CSP). */
(function () {
  "use strict";
  var select = document.getElementById("id_country");
  var input = document.getElementById("id_number");
  if (!select || !input) { return; }
  var codes;
  try {
    codes = JSON.parse(select.getAttribute("data-calling-codes") || "{}");
  } catch (e) {
    return;
  }
  var live = document.getElementById("country-auto");

  function internationalDigits(value) {
    var compact = value.replace(/[\s\-().\/\u00a0]/g, "");
    if (compact.charAt(0) === "+") { return compact.slice(1); }
    if (compact.slice(0, 2) === "00") { return compact.slice(2); }
    return null;
  }

  function announce() {
    if (!live) { return; }
    var option = select.options[select.selectedIndex];
    var template = live.getAttribute("data-template") || "%s";
    live.textContent = template.replace("%s", option ? option.text : "");
  }

  function pick() {
    var digits = internationalDigits(input.value);
    if (!digits) { return; }
    // Calling codes are 1 to 3 digits and none is the start of another.
    for (var length = 1; length <= 3 && length <= digits.length; length++) {
      var regions = codes[digits.slice(0, length)];
      if (regions) {
        if (regions.indexOf(select.value) === -1) {
          select.value = regions[0];
          announce();
        }
        return;
      }
    }
  }

  input.addEventListener("input", pick);
  pick();
})();
