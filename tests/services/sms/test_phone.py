"""Parsing typed mobile numbers, masking them, and the country picker's data."""

from __future__ import annotations

import pytest
from django.utils import translation

from services.sms.phone import (
    PhoneNumberError,
    calling_codes,
    country_choices,
    mask,
    parse,
)


@pytest.mark.parametrize(
    "country,text,e164",
    [
        ("SE", "070-123 45 12", "+46701234512"),
        ("SE", "0701234512", "+46701234512"),
        ("SE", "+46701234512", "+46701234512"),
        ("SE", "+46 70 123 45 12", "+46701234512"),
        ("SE", "0046701234512", "+46701234512"),
        ("SE", "(070) 123.45/12", "+46701234512"),
        ("SE", "０７０１２３４５１２", "+46701234512"),  # full-width digits
        ("SE", "070\u00a0123\u00a045\u00a012", "+46701234512"),  # no-break spaces
        ("NO", "412 34 567", "+4741234567"),
        ("FI", "040 1234567", "+358401234567"),
        ("DE", "01512 3456789", "+4915123456789"),
        ("US", "(650) 253-0000", "+16502530000"),  # FIXED_LINE_OR_MOBILE
    ],
)
def test_mobile_numbers_parse_to_e164(country, text, e164, settings):
    settings.SMS_ALLOWED_COUNTRIES = ["*"]  # the US is not allowed by default
    assert parse(country, text) == e164


@pytest.mark.parametrize("country", ["NO", "US", "DE", "XX", ""])
def test_a_leading_plus_or_00_picks_the_country_by_itself(country):
    assert parse(country, "+4670 123 45 12") == "+46701234512"
    assert parse(country, "0046 70 123 45 12") == "+46701234512"
    assert parse(country, "+47 412 34 567") == "+4741234567"


@pytest.mark.parametrize(
    "country,text,code",
    [
        ("SE", "", "empty"),
        ("SE", "   ", "empty"),
        ("SE", "070-ABC 45 12", "letters"),
        ("SE", "sju noll", "letters"),
        ("SE", "070#1234512", "letters"),
        ("SE", "070+1234512", "letters"),
        ("SE", "070", "too_short"),
        ("SE", "0701234", "too_short"),
        ("SE", "+4670123", "too_short"),
        ("SE", "070 123 45 12 1", "too_long"),
        ("SE", "+46701234567890", "too_long"),
        ("SE", "0" * 41, "too_long"),
        ("SE", "08-123 456 78", "not_mobile"),  # Stockholm landline
        ("SE", "+46 8 123 456 78", "not_mobile"),
        ("SE", "+999 1234567", "unknown_country_code"),
        ("SE", "00999 1234567", "unknown_country_code"),
        ("XX", "0701234512", "country"),
        ("", "0701234512", "country"),
        ("SE", "0991234567", "invalid"),
    ],
)
def test_numbers_that_cannot_take_an_sms_are_refused_with_a_code(country, text, code):
    with pytest.raises(PhoneNumberError) as err:
        parse(country, text)
    assert err.value.code == code


def test_every_error_has_a_swedish_and_an_english_message():
    codes = [
        "empty",
        "country",
        "letters",
        "too_short",
        "too_long",
        "unknown_country_code",
        "invalid",
        "not_mobile",
        "country_not_allowed",
    ]
    with translation.override("sv"):
        swedish = {c: PhoneNumberError(c).message for c in codes}
    assert swedish["not_mobile"].startswith("Numret går till en fast telefon")
    assert len(set(swedish.values())) == len(codes)
    with translation.override("en"):
        english = {c: PhoneNumberError(c).message for c in codes}
    assert all(english[c] for c in codes)


def test_allowed_countries_limit_the_numbers_and_the_picker(settings):
    settings.SMS_ALLOWED_COUNTRIES = ["SE", "NO"]
    with pytest.raises(PhoneNumberError) as err:
        parse("FI", "040 1234567")
    assert err.value.code == "country_not_allowed"
    assert [c for c, _ in country_choices("sv")] == ["SE", "NO"]


@pytest.mark.parametrize(
    "e164,masked",
    [
        ("+46701234512", "+46 70*** **12"),
        ("+4741234567", "+47 41** **67"),
        ("+358401234567", "+358 40*** **67"),
        ("+16502530000", "+1 65*** ***00"),
    ],
)
def test_mask_shows_country_code_first_two_and_last_two_digits(e164, masked):
    assert mask(e164) == masked


def test_mask_never_shows_the_middle_digits():
    masked = mask("+46701234512")
    assert "1234" not in masked.replace(" ", "") and "345" not in masked


def test_country_list_starts_with_sweden_and_the_nordic_countries(settings):
    settings.SMS_ALLOWED_COUNTRIES = ["*"]
    choices = country_choices("sv")
    assert [c for c, _ in choices[:5]] == ["SE", "NO", "DK", "FI", "IS"]
    assert choices[0][1] == "Sverige (+46)"
    assert len(choices) > 200
    rest = [label for _, label in choices[5:]]
    # Swedish alphabet: Å, Ä, Ö come after Z.
    assert rest.index("Zimbabwe (+263)") < rest.index("Österrike (+43)")


def test_by_default_only_nordic_and_eu_eea_countries_are_offered():
    codes = [c for c, _ in country_choices("sv")]
    assert codes[:5] == ["SE", "NO", "DK", "FI", "IS"]
    assert {"DE", "PL", "AX", "LI"} <= set(codes)
    assert not {"US", "GB", "NG", "CU"} & set(codes)
    with pytest.raises(PhoneNumberError) as err:
        parse("SE", "+1 650 253 0000")
    assert err.value.code == "country_not_allowed"


def test_country_names_follow_the_language():
    assert dict(country_choices("en"))["DE"] == "Germany (+49)"
    assert dict(country_choices("sv"))["DE"] == "Tyskland (+49)"


def test_calling_codes_map_to_regions_main_region_first(settings):
    settings.SMS_ALLOWED_COUNTRIES = ["*"]
    codes = calling_codes()
    assert codes["46"] == ["SE"]
    assert codes["1"][0] == "US" and "CA" in codes["1"]
    assert codes["358"][0] == "FI" and "AX" in codes["358"]
