"""Choosing the new password after the proof, and writing it to the directory."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.core import mail
from django.test import Client, RequestFactory
from django.urls import reverse

from audit.models import AuditEvent
from enrollment.proofs import get_flow
from identity.directory import AccountLocked, WrongPassword
from reset import protection
from reset.flow import ResetRefused
from reset.services import reset_password
from services.sms.gateways import outbox

from .conftest import NEW_PASSWORD, OLD_PASSWORD, lock_demo_account, unreachable_directory

pytestmark = pytest.mark.django_db


def test_the_password_page_shows_the_live_checklist_rules(walker, enrolled_user):
    html = walker.get(reverse("reset_password", args=[walker.proved_flow()])).content.decode()
    assert "data-password-rules=" in html and 'data-rule="complexity"' in html
    assert "js/password-checklist.js" in html and "<script>" not in html


def test_after_the_reset_the_new_password_works_and_the_old_one_does_not(
    walker, enrolled_user, demo_directory
):
    response = walker.set_password(walker.proved_flow(), NEW_PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("reset_done")
    assert demo_directory.authenticate("anna", NEW_PASSWORD).guid == enrolled_user.guid
    with pytest.raises(WrongPassword):
        demo_directory.authenticate("anna", OLD_PASSWORD)


def test_the_user_is_told_it_is_done(walker, enrolled_user):
    response = walker.set_password(walker.proved_flow(), NEW_PASSWORD)
    html = walker.get(response["Location"]).content.decode()
    assert "Ditt lösenord är bytt." in html


def test_the_reset_also_unlocks_the_account(walker, enrolled_user, demo_directory):
    lock_demo_account(enrolled_user)
    walker.set_password(walker.proved_flow(), NEW_PASSWORD)
    assert demo_directory.authenticate("anna", NEW_PASSWORD)


def test_without_reset_unlocks_account_the_lock_stays(
    walker, enrolled_user, demo_directory, settings
):
    settings.RESET_UNLOCKS_ACCOUNT = False
    lock_demo_account(enrolled_user)
    walker.set_password(walker.proved_flow(), NEW_PASSWORD)
    with pytest.raises(AccountLocked):
        demo_directory.authenticate("anna", NEW_PASSWORD)


def test_the_audit_says_who_what_from_where_with_which_services(walker, enrolled_user):
    walker.set_password(walker.proved_flow(), NEW_PASSWORD)
    event = AuditEvent.objects.get(action="reset.password_set")
    assert (event.result, event.subject, event.subject_guid) == (
        "success",
        "anna",
        enrolled_user.guid,
    )
    assert (event.ip_address, event.details["services"]) == ("127.0.0.1", ["bankid", "sms"])


def test_the_users_portal_sessions_are_ended(walker, enrolled_user):
    browser = Client()
    browser.post(reverse("login"), {"username": "anna", "password": OLD_PASSWORD})
    assert browser.get(reverse("home")).status_code == 200
    walker.set_password(walker.proved_flow(), NEW_PASSWORD)
    assert browser.get(reverse("home")).status_code == 302


def test_a_notice_goes_to_the_directory_email(walker, enrolled_user):
    walker.set_password(walker.proved_flow(), NEW_PASSWORD)
    (message,) = mail.outbox
    assert message.to == ["anna.andersson@demo.local"]
    assert "Ditt lösenord återställdes" in message.body and "127.0.0.1" in message.body
    assert "IT-supporten" in message.alternatives[0].content


def test_a_notice_goes_to_the_enrolled_phone(walker, enrolled_user):
    walker.set_password(walker.proved_flow(), NEW_PASSWORD)
    assert outbox[-1].to == "+46701234512"
    assert outbox[-1].text.startswith("Ditt lösenord återställdes")


def test_a_password_against_the_portal_policy_is_refused_with_its_reason(
    walker, enrolled_user, demo_directory
):
    response = walker.set_password(walker.proved_flow(), "Kaffe-Andersson-77")
    assert response.status_code == 400
    assert "delar av ditt namn" in response.content.decode()
    assert demo_directory.authenticate("anna", OLD_PASSWORD)


def test_after_a_refusal_the_user_tries_again_without_proving_again(
    walker, enrolled_user, demo_directory
):
    flow_id = walker.proved_flow()
    assert walker.set_password(flow_id, "Kaffe-Andersson-77").status_code == 400
    response = walker.set_password(flow_id, NEW_PASSWORD)
    assert response["Location"] == reverse("reset_done")
    assert demo_directory.authenticate("anna", NEW_PASSWORD).username == "anna"
    with pytest.raises(WrongPassword):
        demo_directory.authenticate("anna", OLD_PASSWORD)


def test_a_password_from_the_history_gets_the_directorys_reason(walker, enrolled_user):
    response = walker.set_password(walker.proved_flow(), OLD_PASSWORD)
    assert response.status_code == 400
    assert "Du har använt det här lösenordet tidigare." in response.content.decode()


def test_the_directorys_refusal_is_audited_and_keeps_the_flow(walker, enrolled_user):
    walker.set_password(walker.proved_flow(), OLD_PASSWORD)
    event = AuditEvent.objects.get(action="reset.failed")
    assert (event.details["reason"], event.details["flow_kept"]) == (
        "policy_violation:history",
        True,
    )


def test_two_different_passwords_are_refused(walker, enrolled_user):
    response = walker.set_password(walker.proved_flow(), NEW_PASSWORD, again=NEW_PASSWORD + "x")
    assert response.status_code == 400
    assert "Lösenorden är inte lika." in response.content.decode()


def test_a_10_kb_password_is_refused_with_a_message(walker, enrolled_user, demo_directory):
    response = walker.set_password(walker.proved_flow(), "Ab1-" * 2560)
    assert response.status_code == 400
    assert "Lösenordet är för långt." in response.content.decode()
    assert demo_directory.authenticate("anna", OLD_PASSWORD)


def test_spaces_around_the_password_must_be_confirmed(walker, enrolled_user):
    response = walker.set_password(walker.proved_flow(), f" {NEW_PASSWORD} ")
    assert response.status_code == 400
    assert 'name="accept_spaces"' in response.content.decode()


def test_confirmed_spaces_are_kept_as_part_of_the_password(walker, enrolled_user, demo_directory):
    flow_id = walker.proved_flow()
    walker.set_password(flow_id, f" {NEW_PASSWORD} ", accept_spaces="on")
    assert demo_directory.authenticate("anna", f" {NEW_PASSWORD} ")
    with pytest.raises(WrongPassword):
        demo_directory.authenticate("anna", NEW_PASSWORD)


def test_a_password_with_characters_outside_the_bmp_is_written_as_typed(
    walker, enrolled_user, demo_directory
):
    password = "Kaffe-😀-Bulle-7"
    response = walker.set_password(walker.proved_flow(), password)
    assert response["Location"] == reverse("reset_done")
    assert demo_directory.authenticate("anna", password)


def test_a_finished_flow_cannot_write_again(walker, enrolled_user, demo_directory):
    flow_id = walker.proved_flow()
    walker.set_password(flow_id, NEW_PASSWORD)
    assert walker.set_password(flow_id, "Annat-Gott-Lösen-3").status_code == 404
    assert demo_directory.authenticate("anna", NEW_PASSWORD)


def test_a_second_tab_racing_the_first_cannot_write_twice(
    walker, client, enrolled_user, demo_directory
):
    flow_id = walker.proved_flow()
    # Both tabs' requests loaded the session before either wrote.
    key = client.cookies["sessionid"].value
    tabs = []
    for _ in range(2):
        request = RequestFactory().post("/", REMOTE_ADDR="127.0.0.1")
        request.session = SessionStore(session_key=key)
        request.user = get_user_model()()
        tabs.append((request, get_flow(request, flow_id, purpose="reset")))
    reset_password(request=tabs[0][0], flow=tabs[0][1], password=NEW_PASSWORD)
    with pytest.raises(ResetRefused) as refused:
        reset_password(request=tabs[1][0], flow=tabs[1][1], password="Annat-Gott-Lösen-3")
    assert refused.value.code == "already_done"
    assert demo_directory.authenticate("anna", NEW_PASSWORD)


def test_a_tab_that_finds_another_one_writing_is_told_to_wait(walker, enrolled_user):
    flow_id = walker.proved_flow()
    assert protection.acquire_write(flow_id) == ""  # the other tab is writing now
    response = walker.set_password(flow_id, NEW_PASSWORD)
    assert response.status_code == 409
    assert "annat fönster" in response.content.decode()


def test_a_directory_that_goes_down_after_the_proof_is_told(walker, enrolled_user, settings):
    flow_id = walker.proved_flow()
    unreachable_directory(settings)
    response = walker.set_password(flow_id, NEW_PASSWORD)
    assert response.status_code == 503
    assert "Katalogtjänsten svarar inte just nu." in response.content.decode()


def test_a_directory_outage_is_audited(walker, enrolled_user, settings):
    flow_id = walker.proved_flow()
    unreachable_directory(settings)
    walker.set_password(flow_id, NEW_PASSWORD)
    event = AuditEvent.objects.get(action="reset.failed")
    assert (event.result, event.details["reason"]) == ("error", "directory_unavailable")


def test_after_an_outage_the_user_retries_without_proving_again(
    walker, enrolled_user, settings, demo_directory
):
    flow_id = walker.proved_flow()
    backend = settings.DIRECTORY_BACKEND
    unreachable_directory(settings)
    walker.set_password(flow_id, NEW_PASSWORD)
    settings.DIRECTORY_BACKEND = backend
    response = walker.set_password(flow_id, NEW_PASSWORD)
    assert response["Location"] == reverse("reset_done")
    assert demo_directory.authenticate("anna", NEW_PASSWORD).username == "anna"


def test_a_directory_that_is_down_at_the_start_is_told_the_same_way_to_everyone(
    walker, enrolled_user, settings
):
    unreachable_directory(settings)
    known, unknown = walker.start("anna"), walker.start("okand")
    assert known.status_code == unknown.status_code == 400
    assert "Katalogtjänsten svarar inte just nu." in known.content.decode()
    assert AuditEvent.objects.filter(action="reset.failed", result="error").count() == 2


def test_no_portal_history_is_kept_when_the_directory_applies_history_itself(
    walker, enrolled_user, settings
):
    from reset.models import PasswordHistory

    settings.RESET_PORTAL_HISTORY = "auto"  # the demo directory checks history on a reset
    walker.set_password(walker.proved_flow(), NEW_PASSWORD)
    assert not PasswordHistory.objects.exists()


def test_the_portal_history_can_be_forced_on(walker, enrolled_user, settings):
    from reset.models import PasswordHistory

    settings.RESET_PORTAL_HISTORY = "on"
    walker.set_password(walker.proved_flow(), NEW_PASSWORD)
    assert PasswordHistory.objects.filter(user_guid=enrolled_user.guid).exists()
