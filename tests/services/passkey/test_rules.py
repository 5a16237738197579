"""Rules without a browser: the sign count, the settings check, decoys."""

from __future__ import annotations

import pytest

from services.passkey import conf
from services.passkey.checks import check_webauthn_settings
from services.passkey.verify import decoy_descriptors, sign_count_ok


@pytest.mark.parametrize(
    ("stored", "new", "ok"),
    [(0, 0, True), (0, 1, True), (5, 6, True), (5, 5, False), (5, 4, False), (5, 0, False)],
)
def test_the_sign_count_must_grow_unless_the_key_always_says_zero(stored, new, ok):
    assert sign_count_ok(stored=stored, new=new) is ok


def ids(problems) -> list[str]:
    return [p.id for p in problems]


def test_the_defaults_follow_allowed_hosts(settings):
    settings.WEBAUTHN_RP_ID = ""
    settings.WEBAUTHN_ORIGINS = []
    settings.ALLOWED_HOSTS = ["10.0.0.5", "portal.example.se", "*"]
    assert conf.rp_id() == "portal.example.se"
    assert conf.origins() == ["https://portal.example.se"]
    assert check_webauthn_settings() == []


def test_the_rp_name_is_the_brand(settings):
    settings.WEBAUTHN_RP_NAME = ""
    settings.BRAND_ORGANISATION = "Exempel kommun"
    assert conf.rp_name() == "Exempel kommun"
    settings.BRAND_ORGANISATION = ""
    settings.PORTAL_NAME = "Portalen"
    assert conf.rp_name() == "Portalen"


def test_a_parent_domain_of_an_allowed_host_is_a_good_rp_id(settings):
    settings.ALLOWED_HOSTS = ["portal.example.se"]
    settings.WEBAUTHN_RP_ID = "example.se"
    settings.WEBAUTHN_ORIGINS = ["https://portal.example.se"]
    assert check_webauthn_settings() == []


def test_an_rp_id_that_is_no_allowed_host_is_refused(settings):
    settings.ALLOWED_HOSTS = ["portal.example.se"]
    settings.WEBAUTHN_RP_ID = "other.se"
    settings.WEBAUTHN_ORIGINS = ["https://portal.example.se"]
    problems = check_webauthn_settings()
    assert "passkey.E003" in ids(problems) and "passkey.E006" in ids(problems)
    assert "registrable suffix" in problems[0].msg


def test_an_ip_address_or_a_top_level_domain_is_no_rp_id(settings):
    settings.ALLOWED_HOSTS = ["127.0.0.1", "se"]
    for bad in ("127.0.0.1", "se"):
        settings.WEBAUTHN_RP_ID = bad
        assert ids(check_webauthn_settings())[0] == "passkey.E002"


def test_no_host_that_can_be_an_rp_id(settings):
    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    settings.WEBAUTHN_RP_ID = ""
    assert ids(check_webauthn_settings()) == ["passkey.E001"]


def test_origins_must_be_https_except_localhost(settings):
    settings.ALLOWED_HOSTS = ["portal.example.se", "localhost"]
    settings.WEBAUTHN_RP_ID = "portal.example.se"
    settings.WEBAUTHN_ORIGINS = ["http://portal.example.se", "https://portal.example.se/path"]
    assert ids(check_webauthn_settings()) == ["passkey.E004", "passkey.E005"]
    settings.WEBAUTHN_RP_ID = "localhost"
    settings.WEBAUTHN_ORIGINS = "http://localhost:8000"
    assert check_webauthn_settings() == []


def test_an_origin_on_a_host_django_refuses(settings):
    settings.ALLOWED_HOSTS = ["portal.example.se"]
    settings.WEBAUTHN_RP_ID = "example.se"
    settings.WEBAUTHN_ORIGINS = ["https://www.example.se"]
    assert ids(check_webauthn_settings()) == ["passkey.E007"]


def test_an_unknown_attestation_is_refused(settings):
    settings.WEBAUTHN_ATTESTATION = "enterprise"
    assert "passkey.E008" in ids(check_webauthn_settings())


@pytest.mark.django_db
def test_decoys_are_the_same_for_every_spelling_of_a_name(demo_directory):
    a = [d.id for d in decoy_descriptors("Nobody")]
    assert a == [d.id for d in decoy_descriptors("nobody")]
    assert a == [d.id for d in decoy_descriptors("DEMO\\nobody")]
    assert a != [d.id for d in decoy_descriptors("somebody")]


@pytest.mark.django_db
def test_old_challenges_are_pruned():
    from datetime import timedelta

    from django.utils import timezone

    from services.passkey.ceremony import prune_challenges
    from services.passkey.models import PasskeyChallenge

    now = timezone.now()
    for age in (timedelta(days=2), timedelta(minutes=1)):
        PasskeyChallenge.objects.create(
            purpose="register", challenge="c", created_at=now - age, expires_at=now
        )
    assert prune_challenges() == 1
    assert PasskeyChallenge.objects.count() == 1
