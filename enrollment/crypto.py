"""Keys for personal data: phone numbers encrypted at rest, personnummer as a keyed hash.

``FIELD_ENCRYPTION_KEY`` and ``PII_HASH_KEY`` are keys of their own, so that
``SECRET_KEY`` can be rotated (routine after a leak) without losing data. Each
may hold several comma-separated keys: the first encrypts/hashes, all are
tried when reading. Keys derived from ``SECRET_KEY`` and
``SECRET_KEY_FALLBACKS`` are tried last, for data written before the keys of
their own were set (``manage.py rotate_keys`` moves it to the newest key);
without a key of its own (DEBUG, the demo) ``SECRET_KEY`` is the only one.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


def _derive(material: str, purpose: str) -> bytes:
    return hashlib.sha256(f"{purpose}:{material}".encode()).digest()


def _split(raw: str | None) -> list[str]:
    return [k.strip() for k in (raw or "").split(",") if k.strip()]


def _keys(name: str) -> tuple[str, ...]:
    """The keys of ``name``, newest first, then the SECRET_KEY-derived ones."""
    keys = _split(getattr(settings, name, ""))
    for legacy in [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]:
        if legacy and legacy not in keys:
            keys.append(legacy)
    return tuple(keys)


@lru_cache(maxsize=8)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet(
        [Fernet(base64.urlsafe_b64encode(_derive(k, "field-encryption"))) for k in keys]
    )


def _encryption_keys() -> tuple[str, ...]:
    return _keys("FIELD_ENCRYPTION_KEY")


def encrypt(value: str) -> str:
    return _fernet(_encryption_keys()).encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    """Raises ValueError when the token was not made with any configured key."""
    try:
        return _fernet(_encryption_keys()).decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ValueError("cannot decrypt with the configured keys") from exc


def reencrypt(token: str) -> str:
    """The token encrypted with the newest key (ValueError as ``decrypt``)."""
    try:
        return _fernet(_encryption_keys()).rotate(token.encode()).decode()
    except InvalidToken as exc:
        raise ValueError("cannot decrypt with the configured keys") from exc


def is_current(token: str) -> bool:
    """Whether the token was made with the newest encryption key."""
    newest = _fernet(_encryption_keys()[:1])
    try:
        newest.decrypt(token.encode())
    except InvalidToken:
        return False
    return True


def _hash_with(key: str, value: str, purpose: str) -> str:
    return hmac.new(
        _derive(key, "pii-hash"), f"{purpose}:{value}".encode(), hashlib.sha256
    ).hexdigest()


def pii_hash(value: str, *, purpose: str) -> str:
    """A keyed hash (HMAC-SHA256) of a personal identifier, for lookups without
    storing the value. ``purpose`` separates the hashes of different kinds."""
    return _hash_with(_keys("PII_HASH_KEY")[0], value, purpose)


def pii_hashes(value: str, *, purpose: str) -> list[str]:
    """The value's hash under every configured key, newest first: a stored
    hash matches when it is any of these (it may predate a rotation)."""
    return [_hash_with(key, value, purpose) for key in _keys("PII_HASH_KEY")]
