"""Privileged accounts (AD's adminCount=1) cannot reset or unlock by
self-service unless RESET_PRIVILEGED_ACCOUNTS says so: the red team's finding
that a Domain Admin could be reset with the defaults. Against the real Samba
AD DC."""

from __future__ import annotations

import pytest
from django.urls import reverse
from ldap3 import MODIFY_REPLACE

from audit.models import AuditEvent
from enrollment.policy import policies_for, policy_for
from identity.directory import get_directory
from services.sms.gateways import outbox
from tests.reset.conftest import Walker, enrol_sms, last_code

pytestmark = [pytest.mark.samba, pytest.mark.django_db]

PASSWORD = "Samba-Forsta-1"
NEW = "Tre-Gröna-Äpplen-9"


@pytest.fixture
def walker(client, django_capture_on_commit_callbacks, request):
    return Walker(client, django_capture_on_commit_callbacks, request)


@pytest.fixture
def one_star(settings):
    # One SMS star is enough here, so an SMS proof alone shows the difference.
    settings.RESET_STARS_REQUIRED = 1


def _user(samba_dc, ad_directory, *, admin_count: bool):
    name = samba_dc.unique("prv" if admin_count else "pln")
    samba_dc.create_user(name, PASSWORD)
    user = ad_directory.find_user(name)
    if admin_count:
        admin = samba_dc.ldap_admin()
        admin.modify(user.dn, {"adminCount": [(MODIFY_REPLACE, ["1"])]})
        assert admin.result["result"] == 0, admin.result
        admin.unbind()
        user = ad_directory.find_user(name)
    return user


def test_the_directory_reads_admin_count(samba_dc, ad_directory):
    assert _user(samba_dc, ad_directory, admin_count=True).privileged is True
    assert _user(samba_dc, ad_directory, admin_count=False).privileged is False


def test_a_privileged_account_gets_the_built_in_no_self_service_policy(samba_dc, ad_directory):
    privileged = _user(samba_dc, ad_directory, admin_count=True)
    plain = _user(samba_dc, ad_directory, admin_count=False)
    policy = policy_for(user=privileged)
    assert policy.reset_allowed is False and policy.source == "builtin"
    assert policy_for(user=plain).reset_allowed is True
    listed = policies_for([privileged, plain])
    assert listed[privileged.guid].reset_allowed is False
    assert listed[plain.guid].reset_allowed is True


def test_a_privileged_account_cannot_reset_and_no_code_goes_to_its_phone(
    samba_dc, ad_directory, walker, one_star
):
    user = _user(samba_dc, ad_directory, admin_count=True)
    enrol_sms(user)
    flow_id = walker.start_flow(user.username)
    url = reverse("sms_verify", kwargs={"flow_id": flow_id})
    before = len(outbox)
    assert walker.post(url, {"send": "1"}).status_code == 302
    assert len(outbox) == before  # a decoy: nothing is sent, nothing can count
    walker.post(url, {"code": "000000"})
    refused = walker.set_password(flow_id, NEW)
    assert refused["Location"] == reverse("reset_prove", kwargs={"flow_id": flow_id})
    assert get_directory().authenticate(user.username, PASSWORD).guid == user.guid
    started = AuditEvent.objects.get(action="reset.started", subject_guid=user.guid)
    assert started.details["self_service"] is False


def test_the_operator_can_allow_privileged_accounts(
    samba_dc, ad_directory, walker, one_star, settings
):
    settings.RESET_PRIVILEGED_ACCOUNTS = True
    user = _user(samba_dc, ad_directory, admin_count=True)
    enrol_sms(user)
    flow_id = walker.start_flow(user.username)
    response = walker.prove_with_sms(flow_id)
    assert response.status_code == 302
    assert last_code()  # the real phone got a code
    done = walker.set_password(flow_id, NEW)
    assert done["Location"] == reverse("reset_done")
    assert get_directory().authenticate(user.username, NEW).guid == user.guid
