// Mobilkod: count the seconds until a new code may be sent, then let the
// "Skicka koden igen" button look and work as a button again. The server
// checks the wait too; this only shows it.
(function () {
  "use strict";
  var wait = document.getElementById("resend-wait");
  var button = document.getElementById("sms-resend");
  if (!wait || !button) return;
  var left = parseInt(wait.getAttribute("data-seconds"), 10) || 0;
  var shown = -1;
  var started = Date.now();

  function text(seconds) {
    if (seconds <= 0) return wait.getAttribute("data-ready");
    if (seconds === 1) return wait.getAttribute("data-one");
    return wait.getAttribute("data-many").replace("99", String(seconds));
  }

  function tick() {
    var seconds = Math.max(0, left - Math.floor((Date.now() - started) / 1000));
    // Screen readers hear the wait once, and again when it is over, not every second.
    if (seconds !== shown) {
      wait.textContent = text(seconds);
      shown = seconds;
    }
    if (seconds <= 0) {
      button.removeAttribute("aria-disabled");
      return;
    }
    window.setTimeout(tick, 250);
  }
  tick();
})();
