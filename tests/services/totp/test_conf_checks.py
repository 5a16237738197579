"""The authenticator app's settings, system checks and English texts."""

from __future__ import annotations

import pytest
from django.utils import translation

from enrollment.registry import get_service
from services.totp import conf
from services.totp.checks import check_totp
from services.totp.codes import TotpCodeError


def test_the_issuer_is_the_setting_else_the_brand_else_the_portal(settings):
    settings.TOTP_ISSUER = "IT: Exempel"
    assert conf.issuer() == "IT Exempel"  # no colon: it separates issuer and account
    settings.TOTP_ISSUER = ""
    settings.BRAND_ORGANISATION = "Exempel AB"
    assert conf.issuer() == "Exempel AB"
    settings.BRAND_ORGANISATION = ""
    settings.PORTAL_NAME = "Portalen"
    assert conf.issuer() == "Portalen"


@pytest.mark.parametrize(("tolerance", "ids"), [(1, []), (0, []), (3, ["totp.E002"])])
def test_the_tolerance_is_checked(settings, tolerance, ids):
    settings.TOTP_TOLERANCE = tolerance
    assert [p.id for p in check_totp()] == ids


def test_the_service_is_worth_one_star_by_default_and_offers_a_caller_check():
    service = get_service("totp")
    assert service is not None and type(service).default_weight == 1
    assert service.caller_check_available()


def test_every_message_has_an_english_text():
    from services.totp.messages import ERROR_MESSAGES, message

    with translation.override("en"):
        assert message("code_length", count=6) == "The code should be 6 digits."
        assert message("throttled", count=1) == "Wait 1 second before you try again."
        for code in ERROR_MESSAGES:
            if code == "locked_out":
                continue
            with translation.override("sv"):
                swedish = message(code)
            assert message(code) != swedish, code
    assert TotpCodeError("code_format").message == "Koden får bara innehålla siffror."
