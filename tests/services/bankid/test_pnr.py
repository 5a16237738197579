from __future__ import annotations

import datetime as dt

import pytest
from personnummer import personnummer as reference_pnr

from services.bankid.pnr import (
    ERROR_MESSAGES,
    InvalidPersonalNumber,
    birth_date,
    format_personal_number,
    hash_personal_number,
    is_coordination_number,
    is_valid_personal_number,
    luhn_check_digit,
    mask_personal_number,
    normalize_personal_number,
)

TODAY = dt.date(2026, 3, 1)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("199001012385", "199001012385"),
        ("19900101-2385", "199001012385"),
        ("9001012385", "199001012385"),
        ("900101-2385", "199001012385"),
        ("  1990 0101 - 2385 ", "199001012385"),
        ("900101\u20132385", "199001012385"),  # an en dash pasted from a document
        ("201701122382", "201701122382"),
        ("170112-2382", "201701122382"),
        ("850709-9805", "198507099805"),
        ("198507099805", "198507099805"),
        ("701063-2391", "197010632391"),  # samordningsnummer, day 63 = the 3rd
        ("121212+1212", "191212121212"),  # "+": 100 years or older
        ("121212-1212", "201212121212"),
        ("19121212+1212", "191212121212"),
    ],
)
def test_accepted_forms_normalize_to_twelve_digits(typed, expected):
    assert normalize_personal_number(typed, today=TODAY) == expected


@pytest.mark.parametrize(
    "number", ["199001012385", "201701122382", "198507099805", "197010632391", "191212121212"]
)
def test_valid_numbers_agree_with_the_personnummer_package(number):
    assert reference_pnr.valid(number)
    assert normalize_personal_number(number) == number


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        (None, "required"),
        ("", "required"),
        ("   ", "required"),
        ("abc", "format"),
        ("19900101238", "format"),  # 11 digits
        ("1990010123851", "format"),  # 13 digits
        ("19900101-238X", "format"),
        ("1990-01-01-2385", "format"),
        ("199001012386", "checksum"),
        ("900101-2384", "checksum"),
    ],
)
def test_invalid_input_gives_a_coded_error(typed, code):
    with pytest.raises(InvalidPersonalNumber) as caught:
        normalize_personal_number(typed, today=TODAY)
    assert caught.value.code == code
    assert not is_valid_personal_number(typed, today=TODAY)


def _with_check_digit(first_eleven: str) -> str:
    return first_eleven + str(luhn_check_digit(first_eleven[2:11]))


@pytest.mark.parametrize("date_part", ["19900231", "19901301", "19900100", "19900192"])
def test_impossible_dates_are_refused_even_with_a_right_check_digit(date_part):
    number = _with_check_digit(date_part + "238")
    assert not reference_pnr.valid(number)
    with pytest.raises(InvalidPersonalNumber) as caught:
        normalize_personal_number(number, today=TODAY)
    assert caught.value.code == "date"


def test_a_birth_date_after_today_is_refused_as_future():
    number = _with_check_digit("20260401238")
    with pytest.raises(InvalidPersonalNumber) as caught:
        normalize_personal_number(number, today=TODAY)
    assert caught.value.code == "future"
    # With "-" a ten-digit number is never placed a century back to make it valid.
    with pytest.raises(InvalidPersonalNumber):
        normalize_personal_number(f"{number[2:8]}-{number[8:]}", today=TODAY)


def test_the_error_never_contains_the_number():
    with pytest.raises(InvalidPersonalNumber) as caught:
        normalize_personal_number("199001012386")
    assert "2386" not in str(caught.value)
    assert "2386" not in repr(caught.value)


def test_every_error_code_has_a_user_message():
    codes = {"required", "format", "checksum", "date", "future", "birth_number"}
    assert codes == set(ERROR_MESSAGES)
    assert all(str(InvalidPersonalNumber(code).message) for code in codes)


def test_birth_number_000_is_refused_although_its_check_digit_is_right():
    nine = "900101000"
    number = f"19{nine}{luhn_check_digit(nine)}"
    with pytest.raises(InvalidPersonalNumber) as caught:
        normalize_personal_number(number)
    assert caught.value.code == "birth_number"
    # 001 is the lowest number SCB gives.
    nine = "900101001"
    assert normalize_personal_number(f"19{nine}{luhn_check_digit(nine)}") == f"19{nine}" + str(
        luhn_check_digit(nine)
    )


def test_coordination_number_helpers():
    assert is_coordination_number("197010632391")
    assert not is_coordination_number("198507099805")
    assert birth_date("197010632391") == dt.date(1970, 10, 3)
    assert reference_pnr.Personnummer("701063-2391").is_coordination_number()


def test_display_forms():
    assert format_personal_number("199001012385") == "19900101-2385"
    assert mask_personal_number("199001012385") == "19900101-****"


def test_hash_is_keyed_stable_and_only_for_the_normalized_form():
    digest = hash_personal_number("199001012385")
    assert digest == hash_personal_number(normalize_personal_number("900101-2385"))
    assert digest != hash_personal_number("201701122382")
    assert "199001012385" not in digest and len(digest) == 64
    with pytest.raises(ValueError) as caught:
        hash_personal_number("900101-2385")
    assert "2385" not in str(caught.value)


def test_hash_changes_with_the_key(settings):
    before = hash_personal_number("199001012385")
    settings.PII_HASH_KEY = "another-key-for-this-test"
    assert hash_personal_number("199001012385") != before
