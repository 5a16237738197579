"""Helpers for the E-postkod tests."""

from __future__ import annotations

import re

from django.core import mail

from enrollment.crypto import encrypt
from enrollment.services import save_enrollment
from services.mailcode.address import address_hash, mask

PRIVATE = "anna.privat@example.org"


def code_mails() -> list:
    """The e-mails with a code (not the notices)."""
    return [m for m in mail.outbox if re.search(r"\b\d{6}\b", m.body)]


def last_code() -> str:
    """The code in the newest code e-mail of the outbox."""
    mails = code_mails()
    assert mails, "no code was e-mailed"
    return re.search(r"\b(\d{6})\b", mails[-1].body).group(1)


def wrong_code(code: str) -> str:
    return f"{(int(code) + 1) % 10 ** len(code):0{len(code)}d}"


def enrol_mail(user, address: str = PRIVATE):
    """Enrol E-postkod for ``user`` directly (the enrolment pages have their own tests)."""
    return save_enrollment(
        request=None,
        user_guid=user.guid,
        username=user.username,
        service="email",
        display=mask(address),
        protected_value=encrypt(address),
        value_hash=address_hash(address),
    )
