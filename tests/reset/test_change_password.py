"""The user's own change with the old password: logged in, or from the login
page when the password has expired or must be changed."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from audit.models import AuditEvent
from devtools.models import DemoDirectoryUser
from identity.directory import WrongPassword, get_directory

from .conftest import NEW_PASSWORD, OLD_PASSWORD

pytestmark = pytest.mark.django_db


def change(client, capture, *, old=OLD_PASSWORD, new=NEW_PASSWORD, username="anna", **extra):
    data = {"old_password": old, "new_password": new, "confirm_password": new} | extra
    if username is not None:
        data["username"] = username
    with capture(execute=True):
        return client.post(reverse("change_password"), data)


@pytest.fixture
def logged_in(client, demo_user):
    client.post(reverse("login"), {"username": "anna", "password": OLD_PASSWORD})
    return client


@pytest.fixture
def must_change(demo_user):
    DemoDirectoryUser.objects.filter(guid=demo_user.guid).update(must_change_password=True)
    return demo_user


def test_a_logged_in_user_changes_the_password_with_the_old_one(
    logged_in, django_capture_on_commit_callbacks, demo_directory
):
    response = change(logged_in, django_capture_on_commit_callbacks, username=None)
    assert response["Location"] == reverse("change_password_done")
    assert demo_directory.authenticate("anna", NEW_PASSWORD).username == "anna"
    with pytest.raises(WrongPassword):
        demo_directory.authenticate("anna", OLD_PASSWORD)


def test_a_logged_in_user_is_not_asked_for_the_username(logged_in):
    assert 'name="username"' not in logged_in.get(reverse("change_password")).content.decode()


def test_the_user_who_changed_stays_logged_in_and_other_sessions_end(
    logged_in, django_capture_on_commit_callbacks
):
    other = Client()
    other.post(reverse("login"), {"username": "anna", "password": OLD_PASSWORD})
    change(logged_in, django_capture_on_commit_callbacks, username=None)
    assert logged_in.get(reverse("home")).status_code == 200
    assert other.get(reverse("home")).status_code == 302


def test_a_wrong_old_password_is_told_and_audited(
    client, demo_user, django_capture_on_commit_callbacks
):
    response = change(client, django_capture_on_commit_callbacks, old="Inte-Rätt-99")
    assert response.status_code == 400
    assert "Fel användarnamn eller lösenord." in response.content.decode()
    event = AuditEvent.objects.get(action="password.changed")
    assert (event.result, event.details["reason"]) == ("failure", "wrong_password")


def test_an_unknown_user_gets_the_same_answer_as_a_wrong_password(
    client, db, demo_directory, django_capture_on_commit_callbacks
):
    response = change(client, django_capture_on_commit_callbacks, username="okand")
    assert response.status_code == 400
    assert "Fel användarnamn eller lösenord." in response.content.decode()


def test_the_login_page_offers_the_change_for_a_must_change_password(client, must_change):
    response = client.post(reverse("login"), {"username": "anna", "password": OLD_PASSWORD})
    html = response.content.decode()
    assert f'href="{reverse("change_password")}?username=anna"' in html


def test_a_must_change_password_is_changed_without_logging_in(
    client, must_change, demo_directory, django_capture_on_commit_callbacks
):
    response = change(client, django_capture_on_commit_callbacks)
    assert response["Location"] == reverse("change_password_done")
    assert demo_directory.authenticate("anna", NEW_PASSWORD).guid == must_change.guid


def test_after_the_change_the_user_can_log_in(
    client, must_change, django_capture_on_commit_callbacks
):
    change(client, django_capture_on_commit_callbacks)
    response = client.post(reverse("login"), {"username": "anna", "password": NEW_PASSWORD})
    assert response["Location"] == reverse("home")
    assert client.get(reverse("home")).context["user"].username == "anna"


def test_the_same_password_again_is_refused_by_history(
    client, demo_user, django_capture_on_commit_callbacks
):
    response = change(client, django_capture_on_commit_callbacks, new=OLD_PASSWORD)
    assert response.status_code == 400
    assert "Du har använt det här lösenordet tidigare." in response.content.decode()


def test_the_portal_policy_applies_to_a_change(
    client, demo_user, django_capture_on_commit_callbacks, demo_directory
):
    response = change(client, django_capture_on_commit_callbacks, new="Kaffe-Andersson-77")
    assert "delar av ditt namn" in response.content.decode()
    assert demo_directory.authenticate("anna", OLD_PASSWORD)


def test_changes_are_rate_limited(client, demo_user, settings, django_capture_on_commit_callbacks):
    settings.CHANGE_PASSWORD_RATE_LIMITS = {"window": 600, "ip": 100, "user": 2}
    for _ in range(2):
        change(client, django_capture_on_commit_callbacks, old="Inte-Rätt-99")
    response = change(client, django_capture_on_commit_callbacks)
    assert "För många försök." in response.content.decode()
    with pytest.raises(WrongPassword):
        get_directory().authenticate("anna", NEW_PASSWORD)


def test_a_successful_change_is_audited_and_notified(
    client, demo_user, django_capture_on_commit_callbacks
):
    change(client, django_capture_on_commit_callbacks)
    event = AuditEvent.objects.get(action="password.changed", result="success")
    assert event.subject_guid == demo_user.guid
    assert "Ditt lösenord byttes" in mail.outbox[0].body


def test_the_change_needs_the_csrf_token(demo_user):
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        reverse("change_password"),
        {"username": "anna", "old_password": OLD_PASSWORD, "new_password": NEW_PASSWORD},
    )
    assert response.status_code == 403


def test_a_logged_in_users_wrong_current_password_is_told_on_its_field_and_the_new_one_kept(
    logged_in, django_capture_on_commit_callbacks
):
    response = change(
        logged_in, django_capture_on_commit_callbacks, old="Inte-Rätt-99", username=None
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Det nuvarande lösenordet stämmer inte. Skriv det igen." in page
    assert "Fel användarnamn" not in page  # there is no username field to be wrong
    assert page.count(f'value="{NEW_PASSWORD}"') == 2  # new and repeated, not the old one
    assert 'value="Inte-Rätt-99"' not in page


def test_the_done_page_of_a_logged_in_change_leads_home(
    logged_in, django_capture_on_commit_callbacks
):
    change(logged_in, django_capture_on_commit_callbacks, username=None)
    page = logged_in.get(reverse("change_password_done")).content.decode()
    assert f'<a class="button primary" href="{reverse("home")}" id="done-home">' in page
