"""One-time codes of Mobilkod: the core's codes (``enrollment.onetime``) with
Mobilkod's length, hashing key and messages."""

from __future__ import annotations

from enrollment import onetime

from . import conf

NAMESPACE = "sms-code"


def _message(code: str, **params) -> str:
    from .messages import message

    return message(code, **params)


class CodeError(onetime.CodeError):
    """A code that was not accepted; ``code`` keys the message (see messages.py)."""

    message_for = staticmethod(_message)


def new_code() -> str:
    """A random code of ``SMS_CODE_LENGTH`` digits (leading zeros kept)."""
    return onetime.new_code(conf.code_length())


def hash_code(*, challenge_id: str, generation: int, code: str) -> str:
    return onetime.hash_code(
        namespace=NAMESPACE, challenge_id=challenge_id, generation=generation, code=code
    )


def code_matches(*, challenge_id: str, generation: int, code: str, code_hash: str) -> bool:
    return onetime.code_matches(
        namespace=NAMESPACE,
        challenge_id=challenge_id,
        generation=generation,
        code=code,
        code_hash=code_hash,
    )


def normalize_code(text: str) -> str:
    """The digits of a typed code. Raises CodeError (code_empty, code_format, code_length)."""
    return onetime.normalize_code(text, length=conf.code_length(), error=CodeError)
