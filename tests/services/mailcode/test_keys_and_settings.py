"""E-postkod's data under key rotation, its settings (the same as Mobilkod's by
default) and its system checks."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from enrollment.crypto import decrypt, encrypt, is_current
from services.mailcode import conf
from services.mailcode.address import address_hash
from services.mailcode.checks import check_mailcode
from services.mailcode.models import MailChallenge
from services.sms import conf as sms_conf

from .helpers import PRIVATE, enrol_mail

pytestmark = pytest.mark.django_db


def test_rotate_keys_moves_the_address_and_its_hash_to_the_newest_keys(demo_user, settings):
    settings.FIELD_ENCRYPTION_KEY = "field-key-old"
    settings.PII_HASH_KEY = "hash-key-old"
    enrollment = enrol_mail(demo_user)
    from django.utils import timezone

    challenge = MailChallenge.objects.create(
        purpose="enroll",
        user_guid=demo_user.guid,
        binding_hash="x",
        address_protected=encrypt(PRIVATE),
        display="a•••@e•••.org",
        code_hash="x",
        expires_at=timezone.now(),
    )
    old_hash = enrollment.value_hash

    settings.FIELD_ENCRYPTION_KEY = "field-key-new,field-key-old"
    settings.PII_HASH_KEY = "hash-key-new,hash-key-old"
    out = io.StringIO()
    call_command("rotate_keys", stdout=out)

    enrollment.refresh_from_db()
    challenge.refresh_from_db()
    assert is_current(enrollment.protected_value) and decrypt(enrollment.protected_value) == PRIVATE
    assert is_current(challenge.address_protected)
    assert enrollment.value_hash == address_hash(PRIVATE) != old_hash
    assert "e-mail code challenges: 1 re-encrypted" in out.getvalue()
    assert "e-mail address hashes: 1 rehashed" in out.getvalue()


def test_the_code_has_mobilkods_lifetime_tries_and_limits_by_default():
    assert conf.code_length() == sms_conf.code_length() == 6
    assert conf.code_validity_seconds() == sms_conf.code_validity_seconds()
    assert conf.code_max_attempts() == sms_conf.code_max_attempts()
    assert conf.resend_cooldown_seconds() == sms_conf.resend_cooldown_seconds()
    assert conf.global_hourly_budget() == sms_conf.global_hourly_budget()
    for name in ("send_user", "send_user_day", "send_ip", "send_ip_day", "verify_user"):
        assert conf.rate_limit(name) == sms_conf.rate_limit(name)
    assert conf.rate_limit("send_address") == sms_conf.rate_limit("send_number")
    assert conf.rate_limit("send_address_day") == sms_conf.rate_limit("send_number_day")


def test_mail_that_goes_nowhere_is_an_error_outside_debug_and_the_demo(settings):
    settings.TESTING = False
    settings.DEBUG = False
    settings.DEMO_MODE = False
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    assert [p.id for p in check_mailcode()] == ["mailcode.E001"]
    settings.DEMO_MODE = True
    assert check_mailcode() == []
    settings.DEMO_MODE = False
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    assert check_mailcode() == []


def test_a_short_code_or_no_tries_is_refused(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.MAILCODE_CODE_LENGTH = 4
    assert [p.id for p in check_mailcode()] == ["mailcode.E002"]
