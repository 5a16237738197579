"""Step-up (changing an enrolled service) asks for another service that the
user's policy offers; never for less than without a policy."""

from __future__ import annotations

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory

from enrollment.models import ResetPolicy
from enrollment.stepup import services_to_prove
from tests.reset.conftest import enrol_bankid, enrol_sms

pytestmark = pytest.mark.django_db

HELPDESK_DN = "CN=Helpdesk,CN=Users,DC=demo,DC=local"


@pytest.fixture
def request_():
    request = RequestFactory().get("/")
    request.session = SessionStore()
    return request


@pytest.fixture
def person(demo_directory):
    user = demo_directory.create_user(username="helena", password="x", groups=["Helpdesk"])
    enrol_sms(user)
    enrol_bankid(user)
    return user


def keys(services) -> list[str]:
    return [s.key for s in services]


def test_without_a_policy_any_other_enrolled_service_is_asked_for(request_, person):
    assert keys(services_to_prove(request_, user_guid=person.guid, service_key="sms")) == ["bankid"]


def test_the_policys_other_services_are_asked_for(request_, person):
    ResetPolicy.objects.create(
        name="Helpdesk", group_dn=HELPDESK_DN, services="bankid:2,sms:1", stars_reset=2
    )
    assert keys(services_to_prove(request_, user_guid=person.guid, service_key="bankid")) == ["sms"]


def test_a_policy_offering_none_of_the_others_still_asks_for_one(request_, person):
    ResetPolicy.objects.create(
        name="Helpdesk", group_dn=HELPDESK_DN, services="bankid:2", stars_reset=2
    )
    # The policy offers only BankID: changing it still needs the SMS proof,
    # never only the password.
    assert keys(services_to_prove(request_, user_guid=person.guid, service_key="bankid")) == ["sms"]
