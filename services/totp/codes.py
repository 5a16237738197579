"""Reading a typed code and telling why one was not accepted."""

from __future__ import annotations

import unicodedata

from . import conf

#: Longer input is not read at all (a pasted page is not a code).
MAX_INPUT = 64


class TotpCodeError(ValueError):
    """A code that was not accepted; ``code`` keys the message (messages.py).
    ``compared``: the code was compared with the secret (a guess), not refused
    before that (malformed, or a wait after wrong codes)."""

    def __init__(self, code: str, *, compared: bool = False, **params) -> None:
        super().__init__(code)
        self.code = code
        self.compared = compared
        self.params = params

    @property
    def message(self) -> str:
        from .messages import message

        return message(self.code, **self.params)


def normalize_code(text: str) -> str:
    """The six digits of a typed code. Spaces and dashes between digits (as
    apps show them: "123 456") are forgiven, full-width digits read as digits.
    Raises TotpCodeError (code_empty, code_format, code_length)."""
    if len(text or "") > MAX_INPUT:
        raise TotpCodeError("code_length", count=conf.DIGITS)
    text = unicodedata.normalize("NFKC", text or "")
    compact = "".join(ch for ch in text if not ch.isspace() and ch not in "-‐‑–")
    if not compact:
        raise TotpCodeError("code_empty")
    if not all(ch in "0123456789" for ch in compact):
        raise TotpCodeError("code_format")
    if len(compact) != conf.DIGITS:
        raise TotpCodeError("code_length", count=conf.DIGITS)
    return compact
