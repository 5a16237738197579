"""One-time codes of E-postkod: the core's codes (``enrollment.onetime``) with
E-postkod's length, hashing key and messages."""

from __future__ import annotations

from enrollment import onetime

from . import conf

NAMESPACE = "mailcode-code"


def _message(code: str, **params) -> str:
    from .messages import message

    return message(code, **params)


class CodeError(onetime.CodeError):
    """A code that was not accepted; ``code`` keys the message (see messages.py)."""

    message_for = staticmethod(_message)


def normalize_code(text: str) -> str:
    """The digits of a typed code. Raises CodeError (code_empty, code_format, code_length)."""
    return onetime.normalize_code(text, length=conf.code_length(), error=CodeError)
