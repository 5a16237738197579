"""Per-group policies against the real Samba AD DC: nested groups through
LDAP_MATCHING_RULE_IN_CHAIN, OUs, priority, and "never" for Domain Admins
(whose anonymous reset flow looks like any other account's)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from ldap3 import MODIFY_ADD, MODIFY_DELETE

from audit.models import AuditEvent
from enrollment.models import ResetPolicy
from enrollment.policy import policies_for, policy_for
from identity.directory import get_directory
from services.sms.gateways import outbox
from tests.reset.conftest import Walker, enrol_both, enrol_sms, last_code
from tests.samba import BASE_DN, STAFF_OU

pytestmark = [pytest.mark.samba, pytest.mark.django_db]

PASSWORD = "Samba-Forsta-1"
NEW = "Tre-Gröna-Äpplen-9"
DOMAIN_ADMINS = f"CN=Domain Admins,CN=Users,{BASE_DN}"


def add_member(samba_dc, group_dn: str, member_dn: str) -> None:
    admin = samba_dc.ldap_admin()
    admin.modify(group_dn, {"member": [(MODIFY_ADD, [member_dn])]})
    assert admin.result["result"] == 0, admin.result
    admin.unbind()


def remove_member(samba_dc, group_dn: str, member_dn: str) -> None:
    admin = samba_dc.ldap_admin()
    admin.modify(group_dn, {"member": [(MODIFY_DELETE, [member_dn])]})
    admin.unbind()


@pytest.fixture
def make_user(samba_dc, ad_directory):
    def make(prefix: str = "pol", **kwargs):
        name = samba_dc.unique(prefix)
        samba_dc.create_user(name, PASSWORD, **kwargs)
        return ad_directory.find_user(name)

    return make


@pytest.fixture
def nested(samba_dc, make_user):
    """A user in Inner, a group inside Outer (the user is not a direct member of Outer)."""
    outer = samba_dc.create_group(samba_dc.unique("outer"))
    inner = samba_dc.create_group(samba_dc.unique("inner"))
    add_member(samba_dc, outer, inner)
    user = make_user()
    add_member(samba_dc, inner, user.dn)
    return {"outer": outer, "inner": inner, "user": user}


def policy(name: str, **fields) -> ResetPolicy:
    return ResetPolicy.objects.create(name=name, **fields)


def test_samba_answers_the_in_chain_rule_with_every_nested_group(ad_directory, nested):
    groups = {g.casefold() for g in ad_directory.nested_group_dns(nested["user"])}
    assert nested["outer"].casefold() in groups
    assert nested["inner"].casefold() in groups
    # memberOf itself names only the direct group.
    outer_cn = nested["outer"].split(",")[0][3:]
    assert outer_cn not in nested["user"].groups


def test_a_policy_for_a_group_applies_to_a_member_of_a_nested_group(nested):
    policy("Outer", group_dn=nested["outer"], services="bankid:2", stars_reset=2)
    found = policy_for(user=nested["user"])
    assert found.name == "Outer"
    assert [s.key for s in found.services] == ["bankid"]


def test_the_bulk_lookup_finds_nested_members_too(ad_directory, nested, make_user):
    policy("Outer", group_dn=nested["outer"], stars_full=4)
    other = make_user()
    found = policies_for([nested["user"], other])
    assert found[nested["user"].guid].name == "Outer"
    assert found[other.guid].is_default


def test_a_policy_for_an_ou_applies_to_users_under_it_only(samba_dc, make_user):
    admin = samba_dc.ldap_admin()
    ou = f"OU={samba_dc.unique('ou')},{STAFF_OU}"
    admin.add(ou, ["top", "organizationalUnit"])
    assert admin.result["result"] == 0, admin.result
    admin.unbind()
    inside = make_user(ou=ou)
    outside = make_user()
    policy("Ekonomi", ou_dn=ou.upper(), stars_reset=3, stars_full=3)
    assert policy_for(user=inside).name == "Ekonomi"
    assert policy_for(user=outside).is_default


def test_the_first_matching_policy_by_priority_wins(nested):
    policy("Inner later", group_dn=nested["inner"], priority=20, stars_reset=1)
    policy("Outer first", group_dn=nested["outer"], priority=10, stars_reset=3, stars_full=3)
    assert policy_for(user=nested["user"]).name == "Outer first"
    ResetPolicy.objects.filter(name="Outer first").update(priority=30)
    assert policy_for(user=nested["user"]).name == "Inner later"


def test_a_membership_change_in_the_directory_applies_at_once(samba_dc, nested):
    policy("Outer", group_dn=nested["outer"], reset_allowed=False)
    assert not policy_for(user=nested["user"]).reset_allowed
    remove_member(samba_dc, nested["inner"], nested["user"].dn)
    assert policy_for(user=nested["user"]).reset_allowed


@pytest.fixture
def walker(client, django_capture_on_commit_callbacks, request):
    return Walker(client, django_capture_on_commit_callbacks, request)


@pytest.fixture
def never_for_admins(settings):
    settings.RESET_POLICIES = [
        {"name": "Domain Admins", "priority": 1, "group": DOMAIN_ADMINS, "reset_allowed": False}
    ]
    # One SMS star is enough for everyone else here, so the SMS proof alone
    # shows the difference.
    settings.RESET_STARS_REQUIRED = 1


def _normalised(html: str, name: str, flow_id: str) -> str:
    html = html.replace(name, "NAME").replace(flow_id, "FLOW")
    return "\n".join(
        line
        for line in html.splitlines()
        if "csrfmiddlewaretoken" not in line and "nonce" not in line
    )


def test_a_domain_admin_cannot_reset_by_self_service_and_the_flow_looks_like_any_other(
    samba_dc, make_user, walker, never_for_admins
):
    admin_user = make_user("adm")
    add_member(samba_dc, DOMAIN_ADMINS, admin_user.dn)
    plain = make_user("plain")
    for user in (admin_user, plain):
        enrol_sms(user)
    try:
        pages = {}
        for user in (admin_user, plain):
            flow_id = walker.start_flow(user.username)
            page = walker.get(reverse("reset_prove", kwargs={"flow_id": flow_id}))
            sms = walker.get(reverse("sms_verify", kwargs={"flow_id": flow_id}))
            pages[user.username] = (
                page.status_code,
                _normalised(page.content.decode(), user.username, flow_id),
                sms.status_code,
            )
            url = reverse("sms_verify", kwargs={"flow_id": flow_id})
            before = len(outbox)
            assert walker.post(url, {"send": "1"}).status_code == 302
            # Only the plain user's phone gets a code: the admin's flow is a decoy.
            assert len(outbox) == before + (user is plain)
            walker.post(url, {"code": last_code() if user is plain else "000000"})
            pages[user.username] += (flow_id,)
        a, p = pages[admin_user.username], pages[plain.username]
        assert (a[0], a[2]) == (p[0], p[2]) == (200, 200)
        assert a[1] == p[1]
        # The plain user's SMS counted; nothing was sent to the admin's phone,
        # no proof counted, and the password page stays closed.
        done = walker.get(reverse("reset_prove", kwargs={"flow_id": p[3]}))
        assert 'id="proof-done"' in done.content.decode()
        closed = walker.set_password(a[3], NEW)
        assert closed.status_code == 302
        assert closed["Location"] == reverse("reset_prove", kwargs={"flow_id": a[3]})
        # The password did not change.
        assert get_directory().authenticate(admin_user.username, PASSWORD).guid == admin_user.guid
        started = AuditEvent.objects.filter(
            action="reset.started", subject_guid=admin_user.guid
        ).get()
        assert started.details["self_service"] is False
        assert started.details["policy"] == "Domain Admins"
    finally:
        remove_member(samba_dc, DOMAIN_ADMINS, admin_user.dn)


def test_a_domain_admin_cannot_unlock_by_self_service_either(
    samba_dc, make_user, walker, never_for_admins
):
    admin_user = make_user("adm")
    add_member(samba_dc, DOMAIN_ADMINS, admin_user.dn)
    enrol_sms(admin_user)
    try:
        flow_id = walker.start_flow(admin_user.username, "unlock")
        url = reverse("sms_verify", kwargs={"flow_id": flow_id})
        walker.post(url, {"send": "1"})
        walker.post(url, {"code": "000000"})
        response = walker.unlock(flow_id)
        assert response["Location"] == reverse("unlock_prove", kwargs={"flow_id": flow_id})
        assert not AuditEvent.objects.filter(action="reset.unlocked").exists()
    finally:
        remove_member(samba_dc, DOMAIN_ADMINS, admin_user.dn)


def test_joining_domain_admins_after_the_proof_stops_the_password_write(
    samba_dc, make_user, walker, settings
):
    settings.RESET_POLICIES = [
        {"name": "Domain Admins", "priority": 1, "group": DOMAIN_ADMINS, "reset_allowed": False}
    ]
    user = make_user("late")
    enrol_both(user)
    flow_id = walker.proved_flow(user.username)  # Mobilkod + BankID, on the defaults
    add_member(samba_dc, DOMAIN_ADMINS, user.dn)
    try:
        response = walker.set_password(flow_id, NEW)
        assert response.status_code == 302
        assert response["Location"] == reverse("reset_prove", kwargs={"flow_id": flow_id})
        refused = AuditEvent.objects.filter(action="reset.failed", subject_guid=user.guid)
        assert refused.filter(details__reason="policy").exists()
        assert not AuditEvent.objects.filter(action="reset.password_set").exists()
    finally:
        remove_member(samba_dc, DOMAIN_ADMINS, user.dn)


def test_a_group_policy_needs_more_stars_in_a_reset_and_shows_them_after_the_first_proof(
    samba_dc, nested, walker, settings
):
    settings.RESET_STARS_REQUIRED = 1
    policy("Outer", group_dn=nested["outer"], services="sms:1,bankid:2", stars_reset=3)
    user = nested["user"]
    enrol_sms(user)
    flow_id = walker.start_flow(user.username)
    before = walker.get(reverse("reset_prove", kwargs={"flow_id": flow_id})).content.decode()
    assert "Du behöver 1 stjärna för att fortsätta." in before  # the default, as for anyone
    walker.prove_with_sms(flow_id)
    after = walker.get(reverse("reset_prove", kwargs={"flow_id": flow_id})).content.decode()
    assert "Du behöver 3 stjärnor för att fortsätta." in after
    assert 'id="proof-done"' not in after
    response = walker.set_password(flow_id, NEW)
    assert response["Location"] == reverse("reset_prove", kwargs={"flow_id": flow_id})


def test_the_home_page_shows_the_policy_in_effect(samba_dc, nested, client):
    policy(
        "Outer", group_dn=nested["outer"], services="sms:1,bankid:2", stars_full=3, stars_reset=3
    )
    response = client.post(
        reverse("login"), {"username": nested["user"].username, "password": PASSWORD}
    )
    assert response.status_code == 302
    home = client.get(reverse("home")).content.decode()
    assert "Policyn ”Outer” gäller för ditt konto." in home
    assert "Ett nytt lösenord kräver 3 stjärnor." in home
    assert "Stjärnraden är full vid 3 stjärnor." in home


def test_a_domain_admin_is_told_on_the_home_page(samba_dc, make_user, client, never_for_admins):
    user = make_user("adm")
    add_member(samba_dc, DOMAIN_ADMINS, user.dn)
    try:
        client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
        home = client.get(reverse("home")).content.decode()
        assert 'id="policy-no-reset"' in home
        assert "Policyn ”Domain Admins” gäller för ditt konto." in home
    finally:
        remove_member(samba_dc, DOMAIN_ADMINS, user.dn)
