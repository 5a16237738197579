"""Registering or changing an identity service tells the user on their other
channels: a thief with the AD password cannot add their own phone silently."""

from __future__ import annotations

import pytest
from django.core import mail

from enrollment.crypto import encrypt
from enrollment.services import save_enrollment
from services.sms.gateways import outbox

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _sms(settings):
    settings.SMS_BACKEND = "services.sms.gateways.LocmemBackend"
    outbox.clear()
    yield
    outbox.clear()


def enrol(user, service, number="", capture=None):
    with capture(execute=True):
        save_enrollment(
            request=None,
            user_guid=user.guid,
            username=user.username,
            service=service,
            display="x",
            protected_value=encrypt(number) if number else "",
            ip_address="192.0.2.44",
        )


def test_a_new_bankid_is_told_by_mail_and_to_the_enrolled_phone(
    demo_user, django_capture_on_commit_callbacks
):
    enrol(demo_user, "sms", "+46701234512", django_capture_on_commit_callbacks)
    mail.outbox.clear()
    outbox.clear()
    enrol(demo_user, "bankid", capture=django_capture_on_commit_callbacks)
    (message,) = mail.outbox
    assert message.to == ["anna.andersson@demo.local"]
    assert "Mobilt BankID registrerades på ditt konto" in message.body
    assert "192.0.2.44" in message.body
    (sms,) = outbox
    assert sms.to == "+46701234512" and "Mobilt BankID registrerades" in sms.text


def test_a_changed_number_is_told_to_the_old_number_not_the_new_one(
    demo_user, django_capture_on_commit_callbacks
):
    enrol(demo_user, "sms", "+46701234512", django_capture_on_commit_callbacks)
    outbox.clear()
    enrol(demo_user, "sms", "+46709999999", django_capture_on_commit_callbacks)
    (sms,) = outbox
    assert sms.to == "+46701234512"
    assert "Mobilkod ändrades på ditt konto" in sms.text
