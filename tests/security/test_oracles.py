"""Limits must not tell who has Mobilkod: a decoy (an unknown name, or an
account without Mobilkod) is limited per number exactly as a real number is,
so the sixth code an hour is refused for both alike."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from services.sms.gateways import outbox
from tests.conftest import age_throttles
from tests.reset.conftest import enrol_sms

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _sms(settings):
    settings.SMS_BACKEND = "services.sms.gateways.LocmemBackend"
    outbox.clear()


def _ask_for_a_code(name: str, capture) -> int:
    browser = Client(REMOTE_ADDR="198.51.100.9")
    start = browser.post(reverse("reset_start"), {"username": name})
    flow = start["Location"].rstrip("/").split("/")[-1]
    with capture(execute=True):
        response = browser.post(reverse("sms_verify", kwargs={"flow_id": flow}), {"send": "1"})
    return response.status_code


@pytest.mark.parametrize("name", ["anna", "ghost"])
def test_the_sixth_code_an_hour_is_refused_alike_for_a_real_number_and_a_decoy(
    demo_user, name, django_capture_on_commit_callbacks
):
    enrol_sms(demo_user)
    answers = []
    for _ in range(6):
        answers.append(_ask_for_a_code(name, django_capture_on_commit_callbacks))
        # Past the per-account window (15 minutes) and the cooldown, within the hour.
        age_throttles(16 * 60, scope_prefix="sms-send_user")
        age_throttles(61, scope_prefix="sms-cooldown")
        age_throttles(16 * 60, scope_prefix="reset-start")
    assert answers == [302] * 5 + [400]
    assert len(outbox) == (5 if name == "anna" else 0)


def _masked_number(name: str) -> str:
    """The masked number the SMS verify page of a new reset for ``name`` names."""
    import re

    browser = Client(REMOTE_ADDR="198.51.100.10")
    start = browser.post(reverse("reset_start"), {"username": name})
    flow = start["Location"].rstrip("/").split("/")[-1]
    page = browser.get(reverse("sms_verify", kwargs={"flow_id": flow})).content.decode()
    return re.search(r"\+46 7\d\*\*\* \*\*\d\d", page).group(0)


@pytest.mark.parametrize(
    ("address", "local_part"),
    [
        ("anna.andersson@demo.local", "anna.andersson"),  # anna's e-mail, anna has no Mobilkod
        ("ghost.person@demo.local", "ghost.person"),  # no such account
    ],
)
def test_the_decoy_number_does_not_tell_that_an_e_mail_address_is_an_account(
    demo_user, address, local_part
):
    """The attack: type an e-mail address, then its local part, and compare the
    masked numbers. An unknown address folds to its local part (the domain's
    UPN suffix), so both show the same decoy; an account without Mobilkod
    must show the same pair, not the decoy of its account name."""
    assert _masked_number(address) == _masked_number(local_part)
