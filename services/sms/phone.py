"""Mobile numbers: parsing what a user typed into E.164, masking, the country list."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import phonenumbers as pn
from django.utils.translation import get_language

from . import conf
from .messages import message

NORDIC = ("SE", "NO", "DK", "FI", "IS")
MAX_INPUT_LENGTH = 40
_CHARACTERS = re.compile(r"\+?[0-9 ()./\-]+")
_MOBILE_TYPES = {pn.PhoneNumberType.MOBILE, pn.PhoneNumberType.FIXED_LINE_OR_MOBILE}
# Regions phonenumbers supports but has no names for.
_EXTRA_NAMES = {
    "AC": {"sv": "Ascension", "en": "Ascension Island"},
    "TA": {"sv": "Tristan da Cunha", "en": "Tristan da Cunha"},
    "XK": {"sv": "Kosovo", "en": "Kosovo"},
}


class PhoneNumberError(ValueError):
    """A typed number that cannot take an SMS; ``code`` keys the message."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code

    @property
    def message(self) -> str:
        return message(f"phone_{self.code}")


def _mobile_lengths(region: str | None) -> tuple[int, ...]:
    metadata = pn.PhoneMetadata.metadata_for_region(region or "")
    if metadata is None or metadata.mobile is None:
        return ()
    return tuple(metadata.mobile.possible_length or ())


def _length_problem(number: pn.PhoneNumber) -> str:
    reason = pn.is_possible_number_with_reason(number)
    if reason == pn.ValidationResult.INVALID_COUNTRY_CODE:
        return "unknown_country_code"
    if reason in (pn.ValidationResult.TOO_SHORT, pn.ValidationResult.IS_POSSIBLE_LOCAL_ONLY):
        return "too_short"
    if reason == pn.ValidationResult.TOO_LONG:
        return "too_long"
    lengths = _mobile_lengths(pn.region_code_for_number(number))
    nsn = len(pn.national_significant_number(number))
    if lengths and nsn < min(lengths):
        return "too_short"
    if lengths and nsn > max(lengths):
        return "too_long"
    return "invalid"


def parse(country: str, text: str) -> str:
    """The E.164 form of the mobile number ``text`` typed with ``country`` chosen.

    A leading ``+`` or ``00`` picks the country by itself. Raises
    PhoneNumberError (codes: empty, country, letters, too_short, too_long,
    unknown_country_code, invalid, not_mobile, country_not_allowed).
    """
    # NFKC: full-width digits and no-break spaces become plain ones.
    text = unicodedata.normalize("NFKC", text or "").strip()
    if not text:
        raise PhoneNumberError("empty")
    if len(text) > MAX_INPUT_LENGTH:
        raise PhoneNumberError("too_long")
    if not _CHARACTERS.fullmatch(text):
        raise PhoneNumberError("letters")
    if text.startswith("00"):
        text = "+" + text[2:]
    international = text.startswith("+")
    region = (country or "").strip().upper()
    if not international and region not in pn.SUPPORTED_REGIONS:
        raise PhoneNumberError("country")
    digits = re.sub(r"\D", "", text)
    if len(digits) < 4:
        raise PhoneNumberError("too_short")
    if len(digits) > 17:
        raise PhoneNumberError("too_long")
    try:
        number = pn.parse(text, None if international else region)
    except pn.NumberParseException as exc:
        raise PhoneNumberError(
            {
                pn.NumberParseException.INVALID_COUNTRY_CODE: "unknown_country_code",
                pn.NumberParseException.TOO_SHORT_AFTER_IDD: "too_short",
                pn.NumberParseException.TOO_SHORT_NSN: "too_short",
                pn.NumberParseException.TOO_LONG: "too_long",
            }.get(exc.error_type, "invalid")
        ) from exc
    if not pn.is_valid_number(number):
        raise PhoneNumberError(_length_problem(number))
    if pn.number_type(number) not in _MOBILE_TYPES:
        raise PhoneNumberError("not_mobile")
    allowed = conf.allowed_countries()
    if allowed and pn.region_code_for_number(number) not in allowed:
        raise PhoneNumberError("country_not_allowed")
    return pn.format_number(number, pn.PhoneNumberFormat.E164)


def region_of(e164: str) -> str:
    """The ISO code of the country of an E.164 number ("" if unknown)."""
    try:
        return pn.region_code_for_number(pn.parse(e164, None)) or ""
    except pn.NumberParseException:
        return ""


def mask(e164: str) -> str:
    """``+46 70*** **12``: the country code, the first two and the last two digits."""
    try:
        number = pn.parse(e164, None)
        country_code, nsn = number.country_code, pn.national_significant_number(number)
    except pn.NumberParseException:
        digits = re.sub(r"\D", "", e164 or "")
        return "+" + "*" * max(0, len(digits) - 2) + digits[-2:]
    if len(nsn) <= 4:
        return f"+{country_code} " + "*" * max(0, len(nsn) - 2) + nsn[-2:]
    stars = len(nsn) - 4
    first = (stars + 1) // 2
    return f"+{country_code} {nsn[:2]}{'*' * first} {'*' * (stars - first)}{nsn[-2:]}"


@lru_cache(maxsize=1)
def _locale_data() -> dict[str, dict[str, str]]:
    """phonenumbers' country names, loaded from their own module file:
    ``import phonenumbers.geodata.locale`` would first run the package's
    ``__init__``, which loads the whole geocoding database (about 100 MB in
    every web and worker process) that the portal never uses."""
    import importlib.util
    from pathlib import Path

    name = "phonenumbers.geodata.locale"
    path = Path(pn.__file__).parent / "geodata" / "locale.py"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.LOCALE_DATA


def country_name(region: str, language: str) -> str:
    names = _locale_data().get(region)
    if names is None:
        extra = _EXTRA_NAMES.get(region, {})
        return extra.get(language) or extra.get("en") or region
    name = names.get(language) or names.get("aa") or region
    for _hop in range(5):  # "*xx" points at another language's entry
        if not name.startswith("*"):
            break
        name = names.get(name[1:]) or region
    return name


def _sort_key(name: str, language: str) -> str:
    # Swedish alphabet order: å, ä, ö after z; other accents sort with their letter.
    folded = name.casefold()
    if language == "sv":
        folded = folded.translate({ord("å"): "{", ord("ä"): "|", ord("ö"): "}"})
    decomposed = unicodedata.normalize("NFKD", folded)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _regions() -> list[str]:
    allowed = conf.allowed_countries()
    return sorted(r for r in pn.SUPPORTED_REGIONS if not allowed or r in allowed)


@lru_cache(maxsize=8)
def _choices(language: str, allowed: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    def label(region: str) -> str:
        code = pn.country_code_for_region(region)
        return f"{country_name(region, language)} (+{code})"

    regions = _regions()
    first = [r for r in NORDIC if r in regions]
    rest = sorted(
        (r for r in regions if r not in first),
        key=lambda r: _sort_key(country_name(r, language), language),
    )
    return tuple((r, label(r)) for r in first + rest)


def country_choices(language: str | None = None) -> list[tuple[str, str]]:
    """(ISO code, "Sverige (+46)") for the picker: the Nordic countries first, then
    every other region alphabetically, named in ``language`` where known."""
    language = (language or get_language() or "sv").split("-")[0]
    return list(_choices(language, conf.allowed_countries()))


def calling_codes() -> dict[str, list[str]]:
    """Calling code -> the regions that use it, main region first (for the picker's script)."""
    regions = set(_regions())
    result: dict[str, list[str]] = {}
    for code, members in pn.COUNTRY_CODE_TO_REGION_CODE.items():
        usable = [r for r in members if r in regions]
        if usable:
            result[str(code)] = usable
    return result
