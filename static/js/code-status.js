/* A one-time code page (Mobilkod, E-postkod): while the code is still on its
   way, ask the server how sending went and show it (e.g. that the SMS service
   or the mail server failed). The box has data-status-url and holds a
   .status-text paragraph. No inline script (CSP). */
(function () {
  "use strict";
  var box = document.querySelector("[data-status-url]");
  var text = box && box.querySelector(".status-text");
  if (!box || !text || !window.fetch) { return; }
  var url = box.getAttribute("data-status-url");
  var polls = 0;

  function pending(state) { return state === "queued" || state === "sending"; }

  function show(data) {
    box.className = "alert " + data.level;
    box.setAttribute("data-state", data.state);
    if (text.textContent !== data.message) { text.textContent = data.message; }
  }

  function poll() {
    polls += 1;
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        show(data);
        if (pending(data.state) && polls < 40) { window.setTimeout(poll, 1500); }
      })
      .catch(function () {
        if (polls < 40) { window.setTimeout(poll, 3000); }
      });
  }

  if (url && pending(box.getAttribute("data-state"))) { window.setTimeout(poll, 700); }
})();
