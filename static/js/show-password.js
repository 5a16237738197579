// A "Visa lösenord" button beside each password field of a form marked
// data-show-password (texts in data-show-text / data-hide-text).
(function () {
  "use strict";
  function add(form) {
    var show = form.getAttribute("data-show-text") || "Visa";
    var hide = form.getAttribute("data-hide-text") || "Dölj";
    form.querySelectorAll("input[type=password]").forEach(function (input) {
      var row = document.createElement("div");
      row.className = "password-row";
      input.parentNode.insertBefore(row, input);
      row.appendChild(input);
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button password-toggle";
      button.textContent = show;
      button.setAttribute("aria-controls", input.id);
      button.setAttribute("aria-pressed", "false");
      button.addEventListener("click", function () {
        var visible = input.type === "password";
        input.type = visible ? "text" : "password";
        button.textContent = visible ? hide : show;
        button.setAttribute("aria-pressed", visible ? "true" : "false");
      });
      row.appendChild(button);
      form.addEventListener("submit", function () { input.type = "password"; });
    });
  }
  document.querySelectorAll("form[data-show-password]").forEach(add);
})();
