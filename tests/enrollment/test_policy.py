"""Stars by assurance and per-group policies in the enrollment core (on the
demo directory; tests/enrollment/test_policy_samba.py runs them against AD)."""

from __future__ import annotations

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory
from django.urls import reverse

from audit.models import AuditEvent
from enrollment import conf, proofs
from enrollment.checks import check_reachable_thresholds
from enrollment.models import ResetPolicy
from enrollment.policy import PolicyError, default_policy, parse_services, policy_for
from enrollment.registry import all_services
from enrollment.stars import proof_is_sufficient

HELPDESK_DN = "CN=Helpdesk,CN=Users,DC=demo,DC=local"


def test_services_are_weighted_by_assurance_by_default():
    assert {s.key: s.weight for s in all_services()} == {
        "sms": 1,
        "bankid": 2,
        "totp": 1,
        "passkey": 2,
        "email": 1,
    }
    assert (conf.stars_to_reset(), conf.stars_full()) == (2, 3)


def test_one_sms_is_not_enough_for_a_reset_by_default_but_bankid_is():
    assert not proof_is_sufficient(["sms"], ["sms", "bankid"])
    assert proof_is_sufficient(["bankid"], ["sms", "bankid"])
    assert proof_is_sufficient(["sms", "bankid"], ["sms", "bankid"])


def test_a_configured_service_without_a_weight_gets_its_default_weight(settings):
    settings.IDENTITY_SERVICES = [
        {"class": "services.sms.service.SmsService"},
        {"class": "services.bankid.service.BankIDService", "weight": 5},
    ]
    assert {s.key: s.weight for s in all_services()} == {"sms": 1, "bankid": 5}


def test_the_defaults_pass_the_check():
    assert check_reachable_thresholds() == []


def test_a_reset_threshold_no_services_can_reach_is_an_error(settings):
    settings.IDENTITY_SERVICES_WEIGHTS = {"sms": (1, False)}
    settings.ENROLLMENT_STARS_FULL = 2
    ids = [p.id for p in check_reachable_thresholds()]
    assert "enrollment.E011" in ids and "enrollment.W012" in ids


def test_a_reset_threshold_above_the_full_row_is_a_warning(settings):
    settings.RESET_STARS_REQUIRED = 3
    settings.ENROLLMENT_STARS_FULL = 2
    assert [p.id for p in check_reachable_thresholds()] == ["enrollment.W013"]


@pytest.mark.parametrize(
    ("policies", "text"),
    [
        ([{"name": "x", "services": "sms:1,bankid:2"}], "neither a group nor an OU"),
        ([{"name": "x", "group": HELPDESK_DN, "services": "sms:1", "stars_reset": 2}], "nobody"),
        ([{"name": "x", "group": HELPDESK_DN, "services": "sms"}], "give the stars"),
    ],
)
def test_a_settings_policy_that_cannot_work_is_an_error(settings, policies, text):
    settings.RESET_POLICIES = policies
    (problem,) = check_reachable_thresholds()
    assert problem.id == "enrollment.E012" and text in problem.msg


def test_services_are_written_as_in_the_environment():
    assert parse_services("bankid:2:required, sms:1") == {"bankid": (2, True), "sms": (1, False)}
    assert parse_services("") is None
    with pytest.raises(PolicyError):
        parse_services("sms:many")


@pytest.mark.django_db
def test_a_policy_of_the_group_and_one_of_the_ou_by_priority(demo_directory, settings):
    user = demo_directory.create_user(
        username="helena", password="x", groups=["Helpdesk"], ou="OU=IT,OU=Staff,DC=demo,DC=local"
    )
    ResetPolicy.objects.create(name="IT", ou_dn="ou=it, ou=staff, dc=demo, dc=local", priority=5)
    ResetPolicy.objects.create(name="Helpdesk", group_dn=HELPDESK_DN, priority=10)
    assert policy_for(user=user).name == "IT"
    ResetPolicy.objects.filter(name="IT").update(enabled=False)
    assert policy_for(user=user).name == "Helpdesk"
    # A settings policy at the same priority comes first.
    settings.RESET_POLICIES = [{"name": "From settings", "priority": 10, "group": HELPDESK_DN}]
    assert policy_for(user=user).name == "From settings"


@pytest.mark.django_db
def test_nobody_gets_the_default_policy(demo_directory):
    ResetPolicy.objects.create(name="Helpdesk", group_dn=HELPDESK_DN, reset_allowed=False)
    assert policy_for(user=None) == default_policy()


@pytest.mark.django_db
def test_a_proof_of_a_service_the_policy_does_not_offer_does_not_count(demo_directory):
    user = demo_directory.create_user(username="helena", password="x", groups=["Helpdesk"])
    ResetPolicy.objects.create(name="Helpdesk", group_dn=HELPDESK_DN, services="bankid:2")
    request = RequestFactory().get("/")
    request.session = SessionStore()
    flow = proofs.start_flow(
        request, purpose="reset", user_guid=user.guid, username="helena", return_url="/"
    )
    assert proofs.mark_proved(request, flow, "sms") is False
    assert proofs.mark_proved(request, flow, "bankid") is True
    assert list(proofs.get_flow(request, flow.id).proved) == ["bankid"]
    event = AuditEvent.objects.get(action="reset.failed")
    assert event.details["reason"] == "policy_service_not_offered"


@pytest.mark.django_db
def test_the_home_page_shows_the_default_policy_and_what_a_reset_needs(client, demo_user):
    client.post(reverse("login"), {"username": "anna", "password": "Gammal-Hemlis-42"})
    page = client.get(reverse("home")).content.decode()
    assert "Standardpolicyn gäller för ditt konto." in page
    assert "Ett nytt lösenord kräver 2 stjärnor." in page
    assert "Stjärnraden är full vid 3 stjärnor." in page


def test_a_privileged_account_is_refused_self_service_wherever_it_is_listed(db, demo_directory):
    """adminCount=1 (here the demo directory's stand-in) gives the built-in
    no-self-service policy, for one user and in lists such as the helpdesk's
    search hits."""
    from enrollment.policy import policies_for, policy_for
    from helpdesk.search import _hit

    admin = demo_directory.create_user(username="adm", password="x", extra={"adminCount": "1"})
    plain = demo_directory.create_user(username="pln", password="x")
    assert admin.privileged and not plain.privileged
    assert policy_for(user=admin).reset_allowed is False
    listed = policies_for([_hit(admin), _hit(plain)])
    assert listed[admin.guid].source == "builtin" and not listed[admin.guid].reset_allowed
    assert listed[plain.guid].reset_allowed
