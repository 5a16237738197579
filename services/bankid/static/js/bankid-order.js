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

  var SVG = "http://www.w3.org/2000/svg";
  var label = box.dataset.qrLabel || "QR";
  var shown = "";

  // Draw the QR content as an SVG of dark squares (qrcode-generator makes the
  // matrix; no inline styles, so the Content-Security-Policy holds).
  function draw(content) {
    var code = qrcode(0, "M");
    code.addData(content);
    code.make();
    var count = code.getModuleCount();
    var border = 4;
    var size = count + border * 2;
    var d = [];
    for (var row = 0; row < count; row += 1) {
      for (var col = 0; col < count; col += 1) {
        if (code.isDark(row, col)) d.push("M" + (col + border) + " " + (row + border) + "h1v1h-1z");
      }
    }
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("viewBox", "0 0 " + size + " " + size);
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-label", label);
    var background = document.createElementNS(SVG, "rect");
    background.setAttribute("width", size);
    background.setAttribute("height", size);
    background.setAttribute("fill", "#fff");
    var modules = document.createElementNS(SVG, "path");
    modules.setAttribute("d", d.join(""));
    modules.setAttribute("fill", "#000");
    svg.appendChild(background);
    svg.appendChild(modules);
    qr.replaceChildren(svg);
  }

  function show(state) {
    if (state.message && message.textContent !== state.message) {
      message.textContent = state.message;
    }
    if (state.qr) {
      if (state.qr !== shown) {
        draw(state.qr);
        shown = state.qr;
      }
      qr.hidden = false;
    } else {
      qr.hidden = true;
      qr.replaceChildren();
      shown = "";
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
