"""One-time codes: generation, the keyed hash that is stored, and reading what was typed."""

from __future__ import annotations

import hashlib
import hmac
import unicodedata

from django.conf import settings
from django.utils.crypto import constant_time_compare
from django_otp.util import random_number_token

from . import conf


class CodeError(ValueError):
    """A code that was not accepted; ``code`` keys the message (see messages.py),
    ``params`` fill it in (e.g. the tries left). ``compared``: the typed code
    was compared with the challenge's (a guess), not refused before that."""

    compared = False

    def __init__(self, code: str, **params) -> None:
        super().__init__(code)
        self.code = code
        self.params = params

    @property
    def message(self) -> str:
        from .messages import message

        return message(self.code, **self.params)


def new_code() -> str:
    """A random code of ``SMS_CODE_LENGTH`` digits (leading zeros kept)."""
    return random_number_token(length=conf.code_length())


def _key() -> bytes:
    return hashlib.sha256(f"sms-code:{settings.SECRET_KEY}".encode()).digest()


def hash_code(*, challenge_id: str, generation: int, code: str) -> str:
    """HMAC-SHA256 of the code bound to one challenge and one generation of it:
    the same digits sent for another challenge hash differently."""
    message = f"{challenge_id}:{generation}:{code}".encode()
    return hmac.new(_key(), message, hashlib.sha256).hexdigest()


def code_matches(*, challenge_id: str, generation: int, code: str, code_hash: str) -> bool:
    expected = hash_code(challenge_id=challenge_id, generation=generation, code=code)
    return constant_time_compare(expected, code_hash)


def normalize_code(text: str) -> str:
    """The digits of a typed code. Spaces (and dashes) between digits are
    forgiven, full-width digits read as digits. Raises CodeError
    (code_empty, code_format, code_length)."""
    text = unicodedata.normalize("NFKC", text or "")
    compact = "".join(ch for ch in text if not ch.isspace() and ch != "-")
    if not compact:
        raise CodeError("code_empty")
    if not all(ch in "0123456789" for ch in compact):
        raise CodeError("code_format")
    if len(compact) != conf.code_length():
        raise CodeError("code_length", count=conf.code_length())
    return compact
