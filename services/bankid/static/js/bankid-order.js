// The BankID order page: poll our status endpoint about once a second for the
// status message and the next animated QR frame; go on when the order ends.
// The polls carry the page's poll token (services/bankid/poll.py), which lets
// the server answer without the session; when it refuses the token (403: it
// expired, or the server wants the session's check) one poll goes without it
// and brings a fresh token.
(function () {
  "use strict";
  var box = document.getElementById("bankid-order");
  if (!box) return;
  var url = box.dataset.statusUrl;
  var token = box.dataset.pollToken || "";
  var qr = document.getElementById("bankid-qr");
  var message = document.getElementById("bankid-message");
  var failures = 0;
  // How the user starts the app: "link" (BankID on this device) or "qr"
  // (another device). The status message (RFA13 or RFA1, RFA17A or RFA17B)
  // depends on it, and the QR is only drawn while it is used.
  var mode = box.dataset.mode || "qr";
  var link = document.getElementById("bankid-autostart");
  var other = document.getElementById("bankid-other-device");
  if (link) link.addEventListener("click", function () { mode = "link"; });
  if (other) other.addEventListener("toggle", function () {
    mode = other.open ? "qr" : "link";
    poll();
  });

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

  var timer = null;
  var generation = 0;  // a poll started by a toggle replaces the running chain
  function poll() {
    if (timer) window.clearTimeout(timer);
    timer = null;
    var mine = ++generation;
    var target = url + (url.indexOf("?") === -1 ? "?" : "&") + "mode=" + mode;
    if (token) target += "&t=" + encodeURIComponent(token);
    var sentToken = token;
    fetch(target, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (response.status === 403 && sentToken) return { retry: true };
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (state) {
        if (mine !== generation) return;
        if (state.retry) {
          token = "";  // once through the session: it answers with a fresh token
          poll();
          return;
        }
        failures = 0;
        if (state.poll) token = state.poll;
        show(state);
        if (state.done && state.next) {
          window.location.assign(state.next);
        } else {
          timer = window.setTimeout(poll, 1000);
        }
      })
      .catch(function () {
        if (mine !== generation) return;
        failures += 1;
        timer = window.setTimeout(poll, Math.min(1000 * failures, 5000));
      });
  }
  timer = window.setTimeout(poll, 1000);
})();
