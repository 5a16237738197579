"""The order page's poll token: the status poll without the session.

The order page is rendered inside the session (it checks that the order is
this session's). It hands the page a token: an HMAC, under a key derived from
``SECRET_KEY``, of the order's id, an expiry time and a hash of the browser
session's key. The page's polls send it back, with the session cookie as
always; the poll then needs neither the session nor the user: the token is
checked against the cookie (no database query), the order's snapshot comes
from one cache read, and its session key must be the cookie's too.

A token is worth nothing without the cookie of the session it was made for,
and the cookie nothing without a token for that very order. It lives
``BANKID_POLL_TOKEN_SECONDS`` (2 minutes); when it has expired, or anything
does not add up (the snapshot is gone, the order looks stalled), the poll
answers 403 and the page polls once through the session (the old way),
which answers with a fresh token and does what needs the database.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from functools import lru_cache

from django.conf import settings

from . import conf

_SALT = b"portal.services.bankid.poll-token\x00"


@lru_cache(maxsize=4)
def _key(secret: str) -> bytes:
    return hashlib.sha256(_SALT + secret.encode()).digest()


def session_hash(session_key: str) -> bytes:
    return hashlib.sha256(_SALT + session_key.encode()).digest()


def _mac(order_id: str, expires: int, session_key: str) -> str:
    message = f"{order_id}|{expires}|".encode() + session_hash(session_key)
    digest = hmac.new(_key(settings.SECRET_KEY), message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:18]).decode()  # 144 bits


def make_poll_token(*, order_id, session_key: str, now: float | None = None) -> str:
    """A token for polling ``order_id`` from the session ``session_key``."""
    now = time.time() if now is None else now
    expires = int(now + int(conf.get("BANKID_POLL_TOKEN_SECONDS")))
    return f"{expires:x}.{_mac(str(order_id), expires, session_key)}"


def check_poll_token(
    token: str, *, order_id, session_key: str | None, now: float | None = None
) -> bool:
    """True when ``token`` was made for this order and this session's key,
    and has not expired. Constant-time in the MAC; no database, no cache."""
    if not token or not session_key or len(token) > 64:
        return False
    expires_hex, _dot, mac = token.partition(".")
    try:
        expires = int(expires_hex, 16)
    except ValueError:
        return False
    now = time.time() if now is None else now
    if expires < now:
        return False
    return hmac.compare_digest(mac.encode(), _mac(str(order_id), expires, session_key).encode())
