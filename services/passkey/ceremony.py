"""What registration and proof share: challenges, errors, and reading a response.

A challenge is a row (``PasskeyChallenge``) named in the browser session that
asked for it: it is answered at most once (an atomic update marks it used),
within ``WEBAUTHN_CHALLENGE_SECONDS``, for its purpose and account only.
"""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta

from django.utils import timezone
from webauthn.helpers import bytes_to_base64url, generate_challenge, parse_client_data_json
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import ClientDataType, CollectedClientData

from . import conf
from .messages import message
from .models import PasskeyChallenge

_SESSION_KEY = "passkey_challenges"
MAX_RESPONSE_CHARS = 32 * 1024

#: What the browser's script reports instead of a response: the DOMException's
#: name (``NotAllowedError``: cancelled, timed out or no matching key) or
#: ``unsupported`` (no WebAuthn in this browser).
CLIENT_ERRORS = {
    "NotAllowedError": "cancelled",
    "AbortError": "cancelled",
    "InvalidStateError": "already_registered",
    "unsupported": "unsupported",
    "NotSupportedError": "unsupported",
    "SecurityError": "wrong_origin",
}


class PasskeyError(Exception):
    """A ceremony that did not pass. ``code`` keys the user's message,
    ``reason`` is what the audit says, ``compared`` whether a response was
    checked against the account (a failed proof) or not (nothing to check)."""

    def __init__(self, code: str, *, reason: str = "", compared: bool = False) -> None:
        super().__init__(code)
        self.code = code
        self.reason = reason or code
        self.compared = compared

    @property
    def message(self) -> str:
        return message(self.code)


def key_ref(credential_id: str) -> str:
    """A short reference to a credential id for the audit trail."""
    return hashlib.sha256(credential_id.encode()).hexdigest()[:12]


def new_challenge(*, request, purpose: str, user_guid: str, user_handle: str = "") -> bytes:
    """A fresh challenge for ``purpose`` in this session (it replaces the one
    the session had for that purpose)."""
    value = generate_challenge()
    now = timezone.now()
    row = PasskeyChallenge.objects.create(
        purpose=purpose,
        user_guid=user_guid,
        challenge=bytes_to_base64url(value),
        user_handle=user_handle,
        created_at=now,
        expires_at=now + timedelta(seconds=conf.challenge_seconds()),
    )
    mapping = dict(request.session.get(_SESSION_KEY) or {})
    replaced = mapping.get(purpose)
    if replaced:
        # Reloading a page must not pile up rows: the challenge it replaces
        # can no longer be answered anyway.
        PasskeyChallenge.objects.filter(pk=replaced, used_at__isnull=True).delete()
    mapping[purpose] = str(row.pk)
    # Only a few purposes at a time: a session cannot pile them up.
    if len(mapping) > 6:
        mapping = dict(list(mapping.items())[-6:])
    request.session[_SESSION_KEY] = mapping
    return value


def take_challenge(*, request, purpose: str, user_guid: str) -> PasskeyChallenge:
    """The session's live challenge for ``purpose`` and this account, marked
    used; PasskeyError("expired") when there is none (never given, answered
    already, too old, another account's)."""
    mapping = dict(request.session.get(_SESSION_KEY) or {})
    challenge_id = mapping.pop(purpose, None)
    request.session[_SESSION_KEY] = mapping
    if not challenge_id:
        raise PasskeyError("expired", reason="no_challenge")
    now = timezone.now()
    taken = PasskeyChallenge.objects.filter(
        pk=challenge_id,
        purpose=purpose,
        user_guid=user_guid,
        used_at__isnull=True,
        expires_at__gt=now,
    ).update(used_at=now)
    if taken != 1:
        raise PasskeyError("expired", reason="challenge_used_or_expired")
    return PasskeyChallenge.objects.get(pk=challenge_id)


def load_response(raw: str) -> dict:
    """The browser's response (JSON text) as a dict; PasskeyError("malformed")."""
    if not raw or len(raw) > MAX_RESPONSE_CHARS:
        raise PasskeyError("malformed", reason="empty" if not raw else "too_large")
    try:
        data = json.loads(raw)
    except ValueError:
        raise PasskeyError("malformed", reason="not_json") from None
    if not isinstance(data, dict):
        raise PasskeyError("malformed", reason="not_an_object")
    return data


def read_client_data(raw: bytes) -> CollectedClientData:
    try:
        return parse_client_data_json(raw)
    except (WebAuthnException, ValueError, TypeError, KeyError):
        raise PasskeyError("malformed", reason="client_data") from None


def check_client_data(
    client_data: CollectedClientData, *, kind: ClientDataType, challenge: str
) -> None:
    """The checks whose failure says something precise, before the library's
    full verification: the ceremony's type, the challenge and the origin."""
    if client_data.type != kind:
        raise PasskeyError("malformed", reason="client_data_type", compared=True)
    if bytes_to_base64url(client_data.challenge) != challenge:
        raise PasskeyError("wrong_challenge", compared=True)
    if client_data.origin not in conf.origins():
        raise PasskeyError("wrong_origin", compared=True)


def prune_challenges(*, older_than_seconds: int = 24 * 3600) -> int:
    cutoff = timezone.now() - timedelta(seconds=older_than_seconds)
    count, _ = PasskeyChallenge.objects.filter(created_at__lt=cutoff).delete()
    return count
