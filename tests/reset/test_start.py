"""Starting a reset or unlock: the pages never tell whether an account exists,
is enrolled, disabled or locked."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from audit.models import AuditEvent
from devtools.models import DemoDirectoryUser

from .conftest import enrol_sms, lock_demo_account, prove_url

pytestmark = pytest.mark.django_db

# Names that appear nowhere else on the pages, so replacing them is safe.
KNOWN = "anna@demo.local"
UNKNOWN = "nobody@demo.local"


def normalised(html: str, *names: str) -> str:
    """The page with what differs by design removed: flow ids, CSRF tokens and
    the name the visitor typed."""
    html = re.sub(r"/(reset|unlock)/[A-Za-z0-9_-]{16,}/", r"/\1/FLOW/", html)
    html = re.sub(r"/verify/[A-Za-z0-9_-]{16,}/", "/verify/FLOW/", html)
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "CSRF", html)
    html = re.sub(r'name="next" type="hidden" value="[^"]*"', "NEXT", html)
    for name in names:
        html = html.replace(name, "NAME")
    return html


def proof_page(walker, username: str, purpose: str = "reset") -> str:
    response = walker.start(username, purpose)
    assert response.status_code == 302
    return walker.get(response["Location"]).content.decode()


def test_the_start_page_asks_for_the_username(client):
    response = client.get(reverse("reset_start"))
    assert response.status_code == 200
    assert 'for="id_username"' in response.content.decode()


def test_the_unlock_start_page_has_its_own_heading(client):
    assert "Lås upp konto" in client.get(reverse("unlock_start")).content.decode()


@pytest.mark.parametrize("purpose", ["reset", "unlock"])
def test_known_enrolled_and_unknown_users_get_the_same_proof_page(
    walker, client, enrolled_user, purpose
):
    known = proof_page(walker, KNOWN, purpose)
    client.cookies.clear()
    unknown = proof_page(walker, UNKNOWN, purpose)
    assert normalised(known, KNOWN) == normalised(unknown, UNKNOWN)


@pytest.mark.parametrize(
    "state", [{"disabled": True}, {"must_change_password": True}, {"bad_password_count": 0}]
)
def test_disabled_and_unenrolled_accounts_look_like_unknown_ones(walker, client, demo_user, state):
    DemoDirectoryUser.objects.filter(guid=demo_user.guid).update(**state)
    known = proof_page(walker, KNOWN)
    client.cookies.clear()
    unknown = proof_page(walker, UNKNOWN)
    assert normalised(known, KNOWN) == normalised(unknown, UNKNOWN)


def test_a_locked_account_looks_like_any_other(walker, client, enrolled_user, demo_directory):
    lock_demo_account(enrolled_user)
    assert demo_directory.get_user(enrolled_user.guid).locked
    known = proof_page(walker, KNOWN)
    client.cookies.clear()
    unknown = proof_page(walker, UNKNOWN)
    assert normalised(known, KNOWN) == normalised(unknown, UNKNOWN)


@pytest.mark.parametrize("name", ["anna", "ANNA", "anna@demo.local", "anna.andersson@demo.local"])
def test_the_account_is_found_by_name_upn_or_email(walker, enrolled_user, name):
    walker.start_flow(name)
    event = AuditEvent.objects.get(action="reset.started")
    assert event.subject_guid == enrolled_user.guid


def test_the_page_shows_the_name_as_typed(walker, enrolled_user):
    html = proof_page(walker, "anna@demo.local")
    assert '<strong class="account-name">anna@demo.local</strong>' in html


def test_a_decoy_flow_shows_the_typed_name_and_a_way_to_start_over(walker, db):
    html = proof_page(walker, "annna")
    assert '<strong class="account-name">annna</strong>' in html
    assert f'href="{reverse("reset_start")}" id="wrong-account">Fel konto? Börja om</a>' in html


def test_starting_is_audited_for_unknown_names_too(walker, db):
    walker.start_flow("okand")
    event = AuditEvent.objects.get(action="reset.started")
    assert (event.subject, event.subject_guid, event.details["known"]) == ("okand", "", False)


def test_the_proof_page_lists_every_configured_service_with_its_verify_link(walker, db):
    flow_id = walker.start_flow("okand")
    html = walker.get(prove_url(flow_id)).content.decode()
    assert reverse("sms_verify", kwargs={"flow_id": flow_id}) in html
    assert 'data-service="sms"' in html


def test_an_unknown_user_can_never_collect_a_star(walker, db):
    flow_id = walker.start_flow("okand")
    response = walker.prove_with_sms(flow_id, code="123456")
    assert response.status_code == 400
    assert "0 av 2 stjärnor" in walker.get(prove_url(flow_id)).content.decode()


def test_an_empty_username_gets_a_message(walker, db):
    response = walker.start("   ")
    assert response.status_code == 400
    assert "Fyll i ditt användarnamn." in response.content.decode()


def test_starts_are_rate_limited_per_username(walker, client, db, settings):
    settings.RESET_RATE_LIMITS = {"window": 600, "ip": 100, "user": 2}
    for _ in range(2):
        assert walker.start("okand").status_code == 302
    response = walker.start("OKAND")
    assert response.status_code == 400
    assert "För många försök." in response.content.decode()


def test_starts_are_rate_limited_per_ip_address(walker, db, settings):
    settings.RESET_RATE_LIMITS = {"window": 600, "ip": 2, "user": 100}
    walker.start("a1")
    walker.start("a2")
    assert walker.start("a3").status_code == 400
    assert AuditEvent.objects.filter(action="reset.failed", result="denied").count() == 1


def test_a_rate_limited_known_user_gets_the_same_answer_as_an_unknown_one(
    walker, enrolled_user, settings
):
    settings.RESET_RATE_LIMITS = {"window": 600, "ip": 100, "user": 0}
    known = walker.start(KNOWN).content.decode()
    unknown = walker.start(UNKNOWN).content.decode()
    assert normalised(known, KNOWN) == normalised(unknown, UNKNOWN)


def test_starting_needs_the_csrf_token(enrolled_user):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("reset_start"), {"username": "anna"})
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action="reset.started").exists()


def test_the_nav_link_leads_to_the_reset_start(client, db):
    html = client.get(reverse("login")).content.decode()
    assert f'href="{reverse("reset_start")}"' in html


def test_the_unlock_start_is_also_served_in_english(client, db):
    response = client.get("/en/unlock/")
    assert response.status_code == 200 and '<html lang="en">' in response.content.decode()


def test_enrolment_is_private_the_page_lists_services_the_user_lacks(walker, demo_user):
    enrol_sms(demo_user)
    html = walker.get(prove_url(walker.start_flow("anna"))).content.decode()
    assert 'data-service="bankid"' in html
