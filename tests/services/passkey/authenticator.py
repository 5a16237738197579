"""Chromium's virtual authenticator (DevTools ``WebAuthn`` domain), driven by
Playwright: real WebAuthn ceremonies in a real browser, offline.

``Authenticator.create(options)`` / ``.get(options)`` run
``navigator.credentials.create/get`` in the page with options as the server
made them (JSON) and return the answer as the page's script would send it.
"""

from __future__ import annotations

import json

# The same conversion the portal's passkey.js does (base64url <-> ArrayBuffer).
_CEREMONY_JS = """
async ([mode, o]) => {
  const toBytes = (v) => {
    let b = v.replace(/-/g, "+").replace(/_/g, "/");
    while (b.length % 4) b += "=";
    const t = atob(b); const a = new Uint8Array(t.length);
    for (let i = 0; i < t.length; i++) a[i] = t.charCodeAt(i);
    return a.buffer;
  };
  const toText = (buf) => {
    if (!buf) return null;
    const a = new Uint8Array(buf); let t = "";
    for (let i = 0; i < a.length; i++) t += String.fromCharCode(a[i]);
    return btoa(t).replace(/\\+/g, "-").replace(/\\//g, "_").replace(/=+$/, "");
  };
  const desc = (l) => (l || []).map(
    (d) => ({type: d.type, id: toBytes(d.id), transports: d.transports}));
  const options = Object.assign({}, o, {challenge: toBytes(o.challenge)});
  let c;
  try {
    if (mode === "create") {
      options.user = Object.assign({}, o.user, {id: toBytes(o.user.id)});
      options.excludeCredentials = desc(o.excludeCredentials);
      c = await navigator.credentials.create({publicKey: options});
    } else {
      options.allowCredentials = desc(o.allowCredentials);
      c = await navigator.credentials.get({publicKey: options});
    }
  } catch (e) {
    return {error: e.name};
  }
  const r = c.response;
  const out = {id: c.id, rawId: toText(c.rawId), type: c.type,
    authenticatorAttachment: c.authenticatorAttachment || null,
    clientExtensionResults: {}, response: {clientDataJSON: toText(r.clientDataJSON)}};
  if (r.attestationObject) {
    out.response.attestationObject = toText(r.attestationObject);
    out.response.transports = r.getTransports ? r.getTransports() : [];
  } else {
    out.response.authenticatorData = toText(r.authenticatorData);
    out.response.signature = toText(r.signature);
    out.response.userHandle = toText(r.userHandle);
  }
  return out;
}
"""

DEFAULT_OPTIONS = {
    "protocol": "ctap2",
    "transport": "internal",
    "hasResidentKey": True,
    "hasUserVerification": True,
    "isUserVerified": True,
    "automaticPresenceSimulation": True,
}


class CeremonyFailed(Exception):
    """The browser refused (the DOMException's name is the message)."""


class Authenticator:
    """One virtual authenticator in ``page``'s browser."""

    def __init__(self, page, **options) -> None:
        self.page = page
        self.cdp = page.context.new_cdp_session(page)
        self.cdp.send("WebAuthn.enable")
        added = self.cdp.send(
            "WebAuthn.addVirtualAuthenticator", {"options": {**DEFAULT_OPTIONS, **options}}
        )
        self.id = added["authenticatorId"]

    def remove(self) -> None:
        self.cdp.send("WebAuthn.removeVirtualAuthenticator", {"authenticatorId": self.id})

    def credentials(self) -> list[dict]:
        found = self.cdp.send("WebAuthn.getCredentials", {"authenticatorId": self.id})
        return found["credentials"]

    def set_user_verified(self, verified: bool) -> None:
        self.cdp.send(
            "WebAuthn.setUserVerified", {"authenticatorId": self.id, "isUserVerified": verified}
        )

    def _run(self, mode: str, options: dict) -> str:
        answer = self.page.evaluate(_CEREMONY_JS, [mode, options])
        if "error" in answer:
            raise CeremonyFailed(answer["error"])
        return json.dumps(answer)

    def create(self, options: dict) -> str:
        return self._run("create", options)

    def get(self, options: dict) -> str:
        return self._run("get", options)
