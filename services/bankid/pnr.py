"""Swedish personal identity numbers (personnummer) and coordination numbers.

The portal always works with the 12-digit form ``YYYYMMDDNNNC`` (what BankID
and Skatteverket use). ``normalize_personal_number`` turns what a person types
into that form or raises :class:`InvalidPersonalNumber` with a short ``code``
whose user-facing message is in :data:`ERROR_MESSAGES`.

A personal number is personal data: never log it, store only
:func:`hash_personal_number`, and show it masked (:func:`mask_personal_number`).
"""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

#: User-facing messages (Swedish source strings) by error code.
ERROR_MESSAGES = {
    "required": _("Ange ditt personnummer."),
    "format": _(
        "Ange personnumret med 10 eller 12 siffror, till exempel ÅÅÅÅMMDD-NNNN eller ÅÅMMDD-NNNN."
    ),
    "checksum": _(
        "Personnumret stämmer inte: kontrollsiffran (den sista siffran) är fel. "
        "Kontrollera att du har skrivit rätt."
    ),
    "date": _(
        "Personnumret innehåller inget giltigt födelsedatum. Kontrollera att du har skrivit rätt."
    ),
    "birth_number": _(
        "Personnumret stämmer inte: de tre siffrorna före den sista kan inte vara 000. "
        "Kontrollera att du har skrivit rätt."
    ),
    "future": _(
        "Personnumret har ett födelsedatum som inte har inträffat än. "
        "Kontrollera att du har skrivit rätt."
    ),
}

# People paste numbers from documents: accept typographic dashes as "-".
_DASHES = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2212", "-"))
_PATTERN = re.compile(r"(\d{6}|\d{8})([-+]?)(\d{4})")
_TWELVE_DIGITS = re.compile(r"\d{12}")
_COORDINATION_OFFSET = 60
_MIN_YEAR = 1800


class InvalidPersonalNumber(ValueError):
    """The input is not a valid personnummer. ``code`` is a key of ERROR_MESSAGES.

    The exception text is the code only, never the number (safe to log).
    """

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code

    @property
    def message(self) -> str:
        """The user-facing message, translated lazily."""
        return ERROR_MESSAGES[self.code]


def luhn_check_digit(nine_digits: str) -> int:
    """The Luhn check digit over YYMMDDNNN (weights 2,1,2,1,... from the left)."""
    total = 0
    for index, char in enumerate(nine_digits):
        product = int(char) * (2 if index % 2 == 0 else 1)
        total += product - 9 if product > 9 else product
    return (10 - total % 10) % 10


def normalize_personal_number(text: str | None, *, today: dt.date | None = None) -> str:
    """Return the 12-digit form of a personnummer or samordningsnummer.

    Accepts ``ÅÅMMDDXXXX``, ``ÅÅMMDD-XXXX``, ``ÅÅMMDD+XXXX`` (100 years or
    older), ``ÅÅÅÅMMDDXXXX`` and ``ÅÅÅÅMMDD-XXXX``, with spaces anywhere.
    For the 10-digit forms the century is the latest one that puts the birth
    year at or before this year (one more century back with ``+``).

    Raises InvalidPersonalNumber with code ``required``, ``format``,
    ``checksum``, ``date`` or ``future``.
    """
    if text is None:
        raise InvalidPersonalNumber("required")
    cleaned = "".join(str(text).translate(_DASHES).split())
    if not cleaned:
        raise InvalidPersonalNumber("required")
    match = _PATTERN.fullmatch(cleaned)
    if match is None:
        raise InvalidPersonalNumber("format")
    date_part, separator, tail = match.groups()
    today = today or _today()
    if len(date_part) == 6:
        two_digit_year = int(date_part[:2])
        year = today.year - ((today.year - two_digit_year) % 100)
        if separator == "+":
            year -= 100
        date_part = f"{year:04d}{date_part[2:]}"
    digits = date_part + tail
    _validate(digits, today)
    return digits


def is_valid_personal_number(text: str | None, *, today: dt.date | None = None) -> bool:
    """True when ``normalize_personal_number`` would accept the text."""
    try:
        normalize_personal_number(text, today=today)
    except InvalidPersonalNumber:
        return False
    return True


def birth_date(pnr12: str) -> dt.date:
    """The birth date of a 12-digit number (coordination numbers: day - 60)."""
    _require_twelve(pnr12)
    day = int(pnr12[6:8])
    if day > _COORDINATION_OFFSET:
        day -= _COORDINATION_OFFSET
    return dt.date(int(pnr12[:4]), int(pnr12[4:6]), day)


def is_coordination_number(pnr12: str) -> bool:
    """True for a samordningsnummer (the day is increased by 60)."""
    _require_twelve(pnr12)
    return int(pnr12[6:8]) > _COORDINATION_OFFSET


def format_personal_number(pnr12: str) -> str:
    """``YYYYMMDD-NNNN``, the readable form of a 12-digit number."""
    _require_twelve(pnr12)
    return f"{pnr12[:8]}-{pnr12[8:]}"


def mask_personal_number(pnr12: str) -> str:
    """``YYYYMMDD-****``: enough for a person to recognise, not to identify."""
    _require_twelve(pnr12)
    return f"{pnr12[:8]}-****"


def hash_personal_number(pnr12: str) -> str:
    """The keyed hash stored instead of the number (12-digit input only, so
    that every typed form of one number gives the same hash)."""
    from enrollment.crypto import pii_hash

    _require_twelve(pnr12)
    return pii_hash(pnr12, purpose="personnummer")


def personal_number_hashes(pnr12: str) -> list[str]:
    """The number's hash under every configured PII_HASH_KEY, newest first."""
    from enrollment.crypto import pii_hashes

    _require_twelve(pnr12)
    return pii_hashes(pnr12, purpose="personnummer")


def _today() -> dt.date:
    # The portal's time zone decides what "today" is (birthdays at midnight);
    # outside Django (the simulator's API alone) the machine's date will do.
    try:
        from django.utils import timezone

        return timezone.localdate()
    except ImproperlyConfigured:
        return dt.date.today()


def _validate(digits: str, today: dt.date) -> None:
    if digits[8:11] == "000":
        # SCB gives birth numbers 001-999; 000 passes Luhn but is never issued.
        raise InvalidPersonalNumber("birth_number")
    if luhn_check_digit(digits[2:11]) != int(digits[11]):
        raise InvalidPersonalNumber("checksum")
    year = int(digits[:4])
    if year < _MIN_YEAR:
        raise InvalidPersonalNumber("date")
    try:
        born = birth_date(digits)
    except ValueError:
        raise InvalidPersonalNumber("date") from None
    if born > today:
        raise InvalidPersonalNumber("future")


def _require_twelve(value: str) -> None:
    if not isinstance(value, str) or not _TWELVE_DIGITS.fullmatch(value):
        # Deliberately without the value: it may be a personal number.
        raise ValueError("expected a normalized 12-digit personal number")
