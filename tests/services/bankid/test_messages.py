from __future__ import annotations

import pytest
from django.utils import translation

from services.bankid.messages import (
    ENGLISH,
    FAILED_HINTS,
    MESSAGES,
    PENDING_HINTS,
    error_message,
    status_message,
    user_message,
)

# (status, hintCode, qr_shown, on_mobile) -> message, from reference §1.4-1.6.
TABLE = [
    ("pending", "outstandingTransaction", True, False, "RFA1"),
    ("pending", "outstandingTransaction", False, False, "RFA13"),
    ("pending", "outstandingTransaction", False, True, "RFA13"),
    ("pending", "noClient", True, False, "RFA1"),
    ("pending", "noClient", False, False, "RFA1"),
    ("pending", "started", False, False, "RFA15A"),
    ("pending", "started", False, True, "RFA15B"),
    ("pending", "userMrtd", True, False, "RFA23"),
    ("pending", "userCallConfirm", False, False, "PORTAL_CALL_CONFIRM"),
    ("pending", "userSign", True, False, "RFA9"),
    ("pending", "userSign", False, True, "RFA9"),
    ("pending", "somethingNew", True, False, "RFA21"),
    ("pending", None, True, False, "RFA21"),
    ("failed", "expiredTransaction", True, False, "RFA8"),
    ("failed", "certificateErr", True, False, "RFA16"),
    ("failed", "userCancel", True, False, "RFA6"),
    ("failed", "cancelled", True, False, "RFA3"),
    ("failed", "startFailed", True, False, "RFA17B"),
    ("failed", "startFailed", False, False, "RFA17A"),
    ("failed", "startFailed", False, True, "RFA17A"),
    ("failed", "userDeclinedCall", False, False, "RFA6"),
    ("failed", "notSupportedByUserApp", True, False, "PORTAL_UPDATE_APP"),
    ("failed", "transactionRiskBlocked", True, False, "RFA22"),
    ("failed", "somethingNew", True, False, "RFA22"),
    ("failed", None, False, False, "RFA22"),
    ("weird", "userSign", True, False, "RFA22"),
]


@pytest.mark.parametrize(("status", "hint", "qr", "mobile", "expected"), TABLE)
def test_status_message_follows_the_reference(status, hint, qr, mobile, expected):
    assert status_message(status, hint, qr_shown=qr, on_mobile=mobile) == expected


def test_the_table_covers_every_known_hint_code():
    covered = {(row[0], row[1]) for row in TABLE}
    assert {("pending", h) for h in PENDING_HINTS} <= covered
    assert {("failed", h) for h in FAILED_HINTS} <= covered


def test_complete_has_no_message():
    assert status_message("complete", None, qr_shown=True) is None


@pytest.mark.parametrize(
    ("error_code", "expected"),
    [
        ("alreadyInProgress", "RFA4"),
        ("requestTimeout", "RFA5"),
        ("maintenance", "RFA5"),
        ("internalError", "RFA5"),
        ("invalidParameters", "RFA22"),
        ("unauthorized", "RFA22"),
        ("brandNewCode", "RFA22"),
        ("transport", "RFA5"),
    ],
)
def test_error_message(error_code, expected):
    assert error_message(error_code) == expected


def test_every_message_has_swedish_and_english_text():
    assert set(MESSAGES) == set(ENGLISH)
    for code in MESSAGES:
        assert str(MESSAGES[code]).strip() and ENGLISH[code].strip()


def test_every_code_the_mapping_can_return_has_a_text():
    produced = {
        status_message(status, hint, qr_shown=qr, on_mobile=mobile)
        for status, hint, qr, mobile, _ in TABLE
    }
    produced |= {error_message(code) for code in ("alreadyInProgress", "maintenance", "x")}
    produced.discard(None)
    assert produced <= set(MESSAGES)


def test_swedish_texts_are_the_reference_wording():
    with translation.override("sv"):
        assert str(user_message("RFA1")) == "Starta BankID-appen."
        assert str(user_message("RFA9")) == (
            "Skriv in din säkerhetskod i BankID-appen och välj Identifiera eller Skriv under."
        )
        assert str(user_message("RFA4")).startswith("En identifiering eller underskrift")
        assert str(user_message("no-such-code")) == "Något gick fel. Försök igen."


def test_english_catalog_matches_the_english_texts():
    # The .po entries for locale/en are made from ENGLISH; once compiled, every
    # text must come out exactly as written there.
    with translation.override("en"):
        shown = {code: str(user_message(code)) for code in MESSAGES}
    translated = {code for code in MESSAGES if shown[code] != str(MESSAGES[code])}
    if not translated:
        pytest.skip("no English BankID messages compiled into locale/en yet")
    assert {code: shown[code] for code in MESSAGES} == ENGLISH
