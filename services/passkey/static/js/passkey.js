// Passkeys: runs navigator.credentials.create (registration) or .get (proof)
// with the options the page carries, and sends the answer with the form.
// A cancelled dialog or a browser without WebAuthn is sent as client_error,
// so the server can say what happened (and audit it) in the user's language.
(function () {
  "use strict";
  var form = document.getElementById("passkey-form");
  var source = document.getElementById("passkey-options");
  if (!form || !source) {
    return;
  }
  var supported = !!(window.PublicKeyCredential && navigator.credentials && window.isSecureContext);
  var notice = document.getElementById("passkey-unsupported");
  if (!supported && notice) {
    notice.hidden = false;
  }

  function toBytes(value) {
    var base64 = value.replace(/-/g, "+").replace(/_/g, "/");
    while (base64.length % 4) {
      base64 += "=";
    }
    var text = atob(base64);
    var bytes = new Uint8Array(text.length);
    for (var i = 0; i < text.length; i++) {
      bytes[i] = text.charCodeAt(i);
    }
    return bytes.buffer;
  }

  function toText(buffer) {
    if (!buffer) {
      return null;
    }
    var bytes = new Uint8Array(buffer);
    var text = "";
    for (var i = 0; i < bytes.length; i++) {
      text += String.fromCharCode(bytes[i]);
    }
    return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function descriptors(list) {
    return (list || []).map(function (d) {
      return { type: d.type, id: toBytes(d.id), transports: d.transports };
    });
  }

  function creationOptions(o) {
    var options = Object.assign({}, o);
    options.challenge = toBytes(o.challenge);
    options.user = Object.assign({}, o.user, { id: toBytes(o.user.id) });
    options.excludeCredentials = descriptors(o.excludeCredentials);
    return options;
  }

  function requestOptions(o) {
    var options = Object.assign({}, o);
    options.challenge = toBytes(o.challenge);
    options.allowCredentials = descriptors(o.allowCredentials);
    return options;
  }

  function answer(credential) {
    var r = credential.response;
    var json = {
      id: credential.id,
      rawId: toText(credential.rawId),
      type: credential.type,
      authenticatorAttachment: credential.authenticatorAttachment || null,
      clientExtensionResults: credential.getClientExtensionResults
        ? credential.getClientExtensionResults()
        : {},
      response: { clientDataJSON: toText(r.clientDataJSON) },
    };
    if (r.attestationObject) {
      json.response.attestationObject = toText(r.attestationObject);
      json.response.transports = r.getTransports ? r.getTransports() : [];
    } else {
      json.response.authenticatorData = toText(r.authenticatorData);
      json.response.signature = toText(r.signature);
      json.response.userHandle = toText(r.userHandle);
    }
    return json;
  }

  function send(fields) {
    Object.keys(fields).forEach(function (name) {
      form.elements[name].value = fields[name];
    });
    form.dataset.ready = "1";
    form.submit();
  }

  form.addEventListener("submit", function (event) {
    if (form.dataset.ready) {
      return;
    }
    event.preventDefault();
    if (form.dataset.busy) {
      return;
    }
    if (!supported) {
      send({ client_error: "unsupported" });
      return;
    }
    form.dataset.busy = "1";
    var status = document.getElementById("passkey-status");
    if (status) {
      status.textContent = status.dataset.waiting || "";
    }
    var options = JSON.parse(source.textContent);
    var call =
      form.dataset.mode === "create"
        ? navigator.credentials.create({ publicKey: creationOptions(options) })
        : navigator.credentials.get({ publicKey: requestOptions(options) });
    call.then(
      function (credential) {
        send({ credential: JSON.stringify(answer(credential)) });
      },
      function (error) {
        send({ client_error: (error && error.name) || "Error" });
      }
    );
  });
})();
