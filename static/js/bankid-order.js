// The BankID order page: poll our status endpoint about once a second for the
// status message and the next animated QR frame; go on when the order ends.
(function () {
  "use strict";
  var box = document.getElementById("bankid-order");
  if (!box) return;
  var url = box.dataset.statusUrl;
  var qr = document.getElementById("bankid-qr");
  var message = document.getElementById("bankid-message");
  var failures = 0;

  function show(state) {
    if (state.message && message.textContent !== state.message) {
      message.textContent = state.message;
    }
    if (state.qr) {
      qr.innerHTML = state.qr;
      qr.hidden = false;
    } else {
      qr.hidden = true;
      qr.innerHTML = "";
    }
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (state) {
        failures = 0;
        show(state);
        if (state.done && state.next) {
          window.location.assign(state.next);
        } else {
          window.setTimeout(poll, 1000);
        }
      })
      .catch(function () {
        failures += 1;
        window.setTimeout(poll, Math.min(1000 * failures, 5000));
      });
  }
  window.setTimeout(poll, 1000);
})();
