"""The organisation's brand in every e-mail: its colour, logo, name and
support contact (issue #14), set from the environment like the pages'."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core import mail
from django.test import Client

from enrollment.notify import send_enrollment_notice_email
from helpdesk.mail import send_template_mail
from reset.notify import send_notice_email

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cfc0000003010100c9fe92ef0000000049454e44ae426082"
)


@pytest.fixture
def brand(settings, tmp_path):
    logo = tmp_path / "logo.png"
    logo.write_bytes(PNG)
    settings.BRAND_ORGANISATION = "Exempelby kommun"
    settings.BRAND_PRIMARY_COLOUR = "#7a1f5c"
    settings.BRAND_LOGO_FILE = str(logo)
    settings.BRAND_SUPPORT_PHONE = "0771-12 34 56"
    settings.BRAND_SUPPORT_EMAIL = "it@exempelby.se"
    settings.PORTAL_URL = "https://losenord.exempelby.se/"
    return settings


def _reset_notice(language: str = "sv") -> str:
    send_notice_email(
        notice_id="brand",
        address="anna@example.org",
        name="Anna",
        event="reset",
        ip="192.0.2.7",
        at="2026-11-26T13:02:00+00:00",
        language=language,
    )
    return mail.outbox[-1].alternatives[0].content


def _enrolment_notice(user) -> str:
    assert send_enrollment_notice_email(
        user_guid=user.guid,
        service="sms",
        created=True,
        ip="192.0.2.7",
        at="2026-11-26T13:02:00+00:00",
        language="sv",
    )
    return mail.outbox[-1].alternatives[0].content


def _helpdesk_mail(template: str, **context) -> str:
    assert send_template_mail(template=template, to="anna@example.org", context=context)
    return mail.outbox[-1].alternatives[0].content


def _all_notices(user) -> list[str]:
    return [
        _reset_notice(),
        _enrolment_notice(user),
        _helpdesk_mail("enrollment_removed", name="Anna", service_name="Mobilkod"),
        _helpdesk_mail(
            "enrollment_reminder", name="Anna", stars=0, stars_full=2, services=["Mobilkod"]
        ),
    ]


def test_every_notice_carries_the_colour_the_logo_the_name_and_the_support_contact(
    brand, demo_user
):
    for html in _all_notices(demo_user):
        assert "background:#7a1f5c" in html
        assert 'src="https://losenord.exempelby.se/brand/logo"' in html
        assert 'alt="Exempelby kommun"' in html
        assert "Exempelby kommun" in html
        assert 'href="tel:0771123456"' in html
        assert "mailto:it@exempelby.se" in html


def test_the_logo_address_in_the_mail_serves_the_logo(brand):
    html = _reset_notice()
    assert "/brand/logo" in html
    response = Client().get("/brand/logo")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == PNG


def test_without_a_public_address_the_header_names_the_organisation_without_an_image(brand):
    brand.PORTAL_URL = ""
    html = _reset_notice()
    assert "<img" not in html
    assert "Exempelby kommun" in html and "background:#7a1f5c" in html


def test_with_no_brand_set_the_mail_uses_the_portal_name_and_the_default_colour(settings):
    html = _reset_notice()
    assert settings.PORTAL_NAME in html
    assert "background:#0b4f8a" in html
    assert "<img" not in html
    assert "IT-supporten:" not in html


def test_the_branded_mail_is_in_the_language_it_was_asked_in(brand):
    html = _reset_notice("en")
    assert 'lang="en"' in html
    assert "IT support:" in html
    assert "If it was you, you don't need to do anything." in html


def test_every_html_email_template_extends_the_branded_base():
    """A new e-mail (a new service's, a new notice) gets the brand by extending
    email/base.html; one written from scratch would go out unbranded."""
    found = [
        p
        for p in ROOT.glob("**/templates/**/email/*.html")
        if ".venv" not in p.parts[len(ROOT.parts) :][0]
        and not p.name.startswith("_")
        and p.parent != ROOT / "templates" / "email"
    ]
    assert len(found) >= 4
    unbranded = [
        str(p.relative_to(ROOT))
        for p in found
        if '{% extends "email/base.html" %}' not in p.read_text()
    ]
    assert unbranded == []


def test_a_mail_server_that_is_down_is_one_log_line_without_a_traceback(settings, caplog):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2
    sent = send_template_mail(
        template="enrollment_removed",
        to="anna@example.org",
        context={"name": "Anna", "service_name": "Mobilkod"},
    )
    assert sent is False
    (record,) = [r for r in caplog.records if r.name == "portal.helpdesk"]
    assert "could not be sent" in record.getMessage()
    assert record.exc_info is None
    assert "anna@example.org" not in caplog.text
