"""Unlocking an account after the proof, keeping the password."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from audit.models import AuditEvent
from services.sms.gateways import outbox

from .conftest import OLD_PASSWORD, lock_demo_account, prove_url, unreachable_directory

pytestmark = pytest.mark.django_db


@pytest.fixture
def locked_user(enrolled_user):
    lock_demo_account(enrolled_user)
    return enrolled_user


def test_after_the_proof_the_page_offers_to_unlock(walker, locked_user):
    flow_id = walker.proved_flow(purpose="unlock")
    html = walker.get(prove_url(flow_id, "unlock")).content.decode()
    assert reverse("unlock_confirm", kwargs={"flow_id": flow_id}) in html


def test_unlocking_clears_the_lock_and_keeps_the_password(walker, locked_user, demo_directory):
    response = walker.unlock(walker.proved_flow(purpose="unlock"))
    assert response.status_code == 302 and response["Location"] == reverse("unlock_done")
    assert demo_directory.authenticate("anna", OLD_PASSWORD).guid == locked_user.guid


def test_the_user_is_told_the_account_is_unlocked(walker, locked_user):
    response = walker.unlock(walker.proved_flow(purpose="unlock"))
    assert "Ditt konto är upplåst." in walker.get(response["Location"]).content.decode()


def test_the_unlock_is_audited_with_the_services_used(walker, locked_user):
    walker.unlock(walker.proved_flow(purpose="unlock"))
    event = AuditEvent.objects.get(action="reset.unlocked")
    assert (event.subject_guid, event.details["services"], event.details["was_locked"]) == (
        locked_user.guid,
        ["bankid", "sms"],
        True,
    )


def test_the_unlock_is_notified_by_email_and_sms(walker, locked_user):
    walker.unlock(walker.proved_flow(purpose="unlock"))
    assert "Ditt konto låstes upp" in mail.outbox[0].body
    assert outbox[-1].text.startswith("Ditt konto låstes upp")


def test_an_unlock_flow_cannot_choose_a_password(walker, locked_user):
    flow_id = walker.proved_flow(purpose="unlock")
    response = walker.set_password(flow_id, "Tre-Gröna-Äpplen-9")
    assert response.status_code == 404


def test_the_unlock_url_takes_only_post(walker, locked_user, demo_directory):
    flow_id = walker.proved_flow(purpose="unlock")
    assert walker.get(reverse("unlock_confirm", kwargs={"flow_id": flow_id})).status_code == 405
    assert demo_directory.get_user(locked_user.guid).locked


def test_the_done_page_without_an_unlock_goes_back_to_the_start(client, db):
    response = client.get(reverse("unlock_done"))
    assert response.status_code == 302 and response["Location"] == reverse("unlock_start")


def test_a_directory_that_is_down_keeps_the_flow_for_another_try(
    walker, locked_user, settings, demo_directory
):
    flow_id = walker.proved_flow(purpose="unlock")
    backend = settings.DIRECTORY_BACKEND
    unreachable_directory(settings)
    response = walker.unlock(flow_id)
    assert response.status_code == 503
    assert "Katalogtjänsten svarar inte just nu." in response.content.decode()
    settings.DIRECTORY_BACKEND = backend
    assert walker.unlock(flow_id).status_code == 302
