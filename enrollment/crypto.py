"""Keys for personal data: phone numbers encrypted at rest, personnummer as a keyed hash."""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


def _derive(material: str, purpose: str) -> bytes:
    return hashlib.sha256(f"{purpose}:{material}".encode()).digest()


@lru_cache(maxsize=8)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet(
        [Fernet(base64.urlsafe_b64encode(_derive(k, "field-encryption"))) for k in keys]
    )


def _encryption_keys() -> tuple[str, ...]:
    # FIELD_ENCRYPTION_KEY may hold several comma-separated keys: the first
    # encrypts, all decrypt (key rotation).
    raw = settings.FIELD_ENCRYPTION_KEY or settings.SECRET_KEY
    return tuple(k.strip() for k in raw.split(",") if k.strip())


def encrypt(value: str) -> str:
    return _fernet(_encryption_keys()).encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    """Raises ValueError when the token was not made with any configured key."""
    try:
        return _fernet(_encryption_keys()).decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ValueError("cannot decrypt with the configured keys") from exc


def pii_hash(value: str, *, purpose: str) -> str:
    """A keyed hash (HMAC-SHA256) of a personal identifier, for lookups without
    storing the value. ``purpose`` separates the hashes of different kinds."""
    key = _derive(settings.PII_HASH_KEY or settings.SECRET_KEY, "pii-hash")
    return hmac.new(key, f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()
