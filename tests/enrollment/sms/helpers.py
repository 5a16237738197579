"""Helpers for the Mobilkod tests."""

from __future__ import annotations

import re

from enrollment.sms.gateways import outbox


def last_code() -> str:
    """The code in the newest SMS of the outbox."""
    assert outbox, "no SMS was sent"
    return re.search(r"\b(\d{6})\b", outbox[-1].text).group(1)


def wrong_code(code: str) -> str:
    """A code of the same length that is not ``code``."""
    return f"{(int(code) + 1) % 10 ** len(code):0{len(code)}d}"
