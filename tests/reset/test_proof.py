"""The proof step: stars in the server-side flow, and no way past it without them."""

from __future__ import annotations

import time

import pytest
from django.test import Client
from django.urls import reverse

from audit.models import AuditEvent
from identity.directory import WrongPassword
from services.sms.gateways import outbox
from tests.conftest import age_throttles

from .conftest import NEW_PASSWORD, OLD_PASSWORD, Walker, last_code, lock_demo_account, prove_url

pytestmark = pytest.mark.django_db


def wrong_code() -> str:
    """A code that is not the one sent (any code, when nothing was sent)."""
    return f"{(int(last_code()) + 1) % 1_000_000:06d}" if outbox else "123456"


def fail_sms_proof(walker, flow_id: str) -> None:
    url = reverse("sms_verify", kwargs={"flow_id": flow_id})
    walker.post(url, {"send": "1"})
    assert walker.post(url, {"code": wrong_code()}).status_code == 400


def password_url(flow_id: str) -> str:
    return reverse("reset_password", kwargs={"flow_id": flow_id})


def test_one_sms_code_is_not_enough_by_default(walker, enrolled_user):
    flow_id = walker.start_flow("anna")
    walker.prove_with_sms(flow_id)
    html = walker.get(prove_url(flow_id)).content.decode()
    assert "1 av 2 stjärnor" in html
    assert password_url(flow_id) not in html
    response = walker.set_password(flow_id, NEW_PASSWORD)
    assert response["Location"] == prove_url(flow_id)


def test_sms_and_bankid_fill_the_star_row(walker, enrolled_user):
    flow_id = walker.proved_flow()
    html = walker.get(prove_url(flow_id)).content.decode()
    assert "2 av 2 stjärnor" in html
    assert password_url(flow_id) in html


def test_bankid_alone_fills_the_star_row_by_default(walker, enrolled_user):
    flow_id = walker.start_flow("anna")
    walker.prove_with_bankid(flow_id)
    html = walker.get(prove_url(flow_id)).content.decode()
    assert "2 av 2 stjärnor" in html
    assert password_url(flow_id) in html


def test_before_the_proof_the_page_offers_no_way_on(walker, enrolled_user):
    flow_id = walker.start_flow("anna")
    assert password_url(flow_id) not in walker.get(prove_url(flow_id)).content.decode()


def test_the_password_page_redirects_back_before_the_proof(walker, enrolled_user):
    flow_id = walker.start_flow("anna")
    response = walker.get(password_url(flow_id))
    assert response.status_code == 302 and response["Location"] == prove_url(flow_id)


def test_posting_a_password_before_the_proof_writes_nothing(walker, enrolled_user, demo_directory):
    flow_id = walker.start_flow("anna")
    response = walker.set_password(flow_id, NEW_PASSWORD)
    assert response.status_code == 302 and response["Location"] == prove_url(flow_id)
    assert demo_directory.authenticate("anna", OLD_PASSWORD).guid == enrolled_user.guid


def test_a_skipped_step_is_audited_as_denied(walker, enrolled_user):
    walker.set_password(walker.start_flow("anna"), NEW_PASSWORD)
    event = AuditEvent.objects.get(action="reset.failed")
    assert (event.result, event.details["reason"]) == ("denied", "not_proved")


def test_posting_an_unlock_before_the_proof_does_not_unlock(walker, enrolled_user, demo_directory):
    lock_demo_account(enrolled_user)
    flow_id = walker.start_flow("anna", "unlock")
    response = walker.unlock(flow_id)
    assert response.status_code == 302
    assert demo_directory.get_user(enrolled_user.guid).locked


def test_an_unknown_user_posting_a_password_gets_the_same_redirect(walker, db):
    flow_id = walker.start_flow("okand")
    response = walker.set_password(flow_id, NEW_PASSWORD)
    assert response.status_code == 302 and response["Location"] == prove_url(flow_id)


def test_a_flow_id_from_another_session_is_refused(walker, enrolled_user, demo_directory):
    flow_id = walker.proved_flow()
    other = Walker(Client(), walker.capture)
    response = other.set_password(flow_id, NEW_PASSWORD)
    assert response.status_code == 404
    with pytest.raises(WrongPassword):
        demo_directory.authenticate("anna", NEW_PASSWORD)


def test_a_made_up_flow_id_gets_a_page_that_says_to_start_over(client, db):
    response = client.get(prove_url("x" * 22))
    assert response.status_code == 404
    assert "Börja om" in response.content.decode()


def test_a_reset_flow_cannot_be_used_on_the_unlock_pages(walker, enrolled_user, demo_directory):
    lock_demo_account(enrolled_user)
    flow_id = walker.proved_flow()
    assert walker.unlock(flow_id).status_code == 404
    assert demo_directory.get_user(enrolled_user.guid).locked


def test_a_logged_in_user_cannot_use_a_flow_for_another_account(
    walker, client, enrolled_user, demo_directory
):
    demo_directory.create_user(username="bertil", password="Bertils-Gamla-77", display_name="B B")
    flow_id = walker.proved_flow()
    assert client.post(reverse("login"), {"username": "bertil", "password": "Bertils-Gamla-77"})
    response = walker.set_password(flow_id, NEW_PASSWORD)
    assert response.status_code == 403
    assert demo_directory.authenticate("anna", OLD_PASSWORD)


def test_an_expired_flow_is_refused(walker, client, enrolled_user):
    flow_id = walker.proved_flow()
    session = client.session
    session["proof_flows"][flow_id]["expires_at"] = time.time() - 1
    session.save()
    assert walker.set_password(flow_id, NEW_PASSWORD).status_code == 404


def test_failed_proofs_lock_the_user_out(walker, enrolled_user, settings):
    settings.RESET_MAX_FAILED_PROOFS = 2
    flow_id = walker.start_flow("anna")
    fail_sms_proof(walker, flow_id)
    fail_sms_proof(walker, flow_id)
    html = walker.get(prove_url(flow_id)).content.decode()
    assert 'id="proof-locked"' in html


def test_the_lockout_is_audited(walker, enrolled_user, settings):
    settings.RESET_MAX_FAILED_PROOFS = 2
    flow_id = walker.start_flow("anna")
    fail_sms_proof(walker, flow_id)
    fail_sms_proof(walker, flow_id)
    walker.get(prove_url(flow_id))
    event = AuditEvent.objects.get(action="reset.locked_out")
    assert (event.subject_guid, event.details["failed_proofs"]) == (enrolled_user.guid, 2)


def test_a_locked_out_user_cannot_write_even_after_a_right_code(
    walker, enrolled_user, settings, demo_directory
):
    settings.RESET_MAX_FAILED_PROOFS = 1
    flow_id = walker.start_flow("anna")
    fail_sms_proof(walker, flow_id)
    walker.get(prove_url(flow_id))
    walker.post(reverse("sms_verify", kwargs={"flow_id": flow_id}), {"code": last_code()})
    walker.set_password(flow_id, NEW_PASSWORD)
    assert demo_directory.authenticate("anna", OLD_PASSWORD)


def test_the_lockout_holds_in_a_new_session_and_under_another_name(
    walker, client, enrolled_user, settings
):
    settings.RESET_MAX_FAILED_PROOFS = 1
    flow_id = walker.start_flow("anna")
    fail_sms_proof(walker, flow_id)
    walker.get(prove_url(flow_id))
    fresh = Walker(Client(), walker.capture)
    html = fresh.get(prove_url(fresh.start_flow("anna@demo.local"))).content.decode()
    assert 'id="proof-locked"' in html


def test_unknown_names_are_locked_out_the_same_way(walker, db, settings):
    settings.RESET_MAX_FAILED_PROOFS = 1
    flow_id = walker.start_flow("okand")
    fail_sms_proof(walker, flow_id)
    assert 'id="proof-locked"' in walker.get(prove_url(flow_id)).content.decode()


def test_the_lockout_ends_after_its_time(walker, enrolled_user, settings):
    settings.RESET_MAX_FAILED_PROOFS = 1
    settings.RESET_LOCKOUT_SECONDS = 1
    flow_id = walker.start_flow("anna")
    fail_sms_proof(walker, flow_id)
    walker.get(prove_url(flow_id))
    age_throttles(2)  # the lockout's second has passed (no sleep)
    html = walker.get(prove_url(walker.start_flow("anna"))).content.decode()
    assert 'id="proof-locked"' not in html
