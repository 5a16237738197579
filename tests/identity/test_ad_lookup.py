"""Reading users from the real Samba AD DC: lookups and what DirectoryUser holds."""

from __future__ import annotations

import uuid

import pytest

pytestmark = pytest.mark.samba

PASSWORD = "Las-Losen-42"


@pytest.fixture
def anna(samba_dc):
    name = samba_dc.unique("anna")
    return samba_dc.create_user(
        name,
        PASSWORD,
        display_name="Anna Andersson",
        given_name="Anna",
        mail=f"{name}@example.se",
        mobile="+46701234567",
        employee_number="E-1234",
        groups=["Helpdesk"],
    )


def test_find_user_by_sam_account_name_ignores_case(ad_directory, anna):
    assert ad_directory.find_user(anna["username"].upper()).guid == anna["guid"]


def test_find_user_by_user_principal_name(ad_directory, anna):
    assert ad_directory.find_user(anna["upn"]).guid == anna["guid"]


def test_find_user_by_mail(ad_directory, anna):
    assert ad_directory.find_user(f"{anna['username']}@example.se").guid == anna["guid"]


def test_find_user_of_nobody_is_none(ad_directory):
    assert ad_directory.find_user("ingen-alls") is None


def test_find_user_by_a_mail_two_users_share_is_none(ad_directory, samba_dc):
    shared = f"{samba_dc.unique('shared')}@example.se"
    samba_dc.create_user(samba_dc.unique("twin"), PASSWORD, mail=shared)
    samba_dc.create_user(samba_dc.unique("twin"), PASSWORD, mail=shared)
    assert ad_directory.find_user(shared) is None


def test_get_user_by_object_guid(ad_directory, anna):
    assert ad_directory.get_user(anna["guid"]).username == anna["username"]


def test_get_user_by_unknown_guid_is_none(ad_directory):
    assert ad_directory.get_user(str(uuid.uuid4())) is None


@pytest.mark.parametrize("guid", ["", "*", "not-a-guid", "\\00", "x" * 10_000])
def test_get_user_by_something_that_is_no_guid_is_none(ad_directory, guid):
    assert ad_directory.get_user(guid) is None


def test_guid_is_the_lowercase_uuid_of_object_guid(ad_directory, anna, samba_dc):
    raw = samba_dc.read(anna["dn"], "objectGUID")["objectGUID"][0]
    user = ad_directory.find_user(anna["username"])
    assert user.guid == str(uuid.UUID(bytes_le=raw))
    assert user.guid == user.guid.lower()


def test_user_carries_names_mail_and_mobile(ad_directory, anna):
    user = ad_directory.find_user(anna["username"])
    assert user.dn == anna["dn"]
    assert user.upn == anna["upn"]
    assert (user.display_name, user.given_name) == ("Anna Andersson", "Anna")
    assert user.mail == f"{anna['username']}@example.se"
    assert user.mobile == "+46701234567"


def test_user_groups_are_the_cns_of_member_of(ad_directory, anna):
    user = ad_directory.find_user(anna["username"])
    assert user.groups == ("Helpdesk",)
    assert user.in_any_group(["helpdesk"])


def test_group_with_a_comma_in_its_name_is_read_whole(ad_directory, samba_dc):
    samba_dc.create_group("Support, Norr")
    name = samba_dc.unique("comma")
    samba_dc.create_user(name, PASSWORD, groups=["Support, Norr"])
    assert ad_directory.find_user(name).groups == ("Support, Norr",)


def test_extra_attributes_are_read_into_extra(ad_directory, anna):
    assert ad_directory.find_user(anna["username"]).extra == {"employeeNumber": "E-1234"}


def test_fresh_user_has_a_password_last_set_and_no_flags(ad_directory, anna):
    user = ad_directory.find_user(anna["username"])
    assert user.password_last_set is not None
    assert not (user.disabled or user.locked or user.password_expired)
    assert not user.must_change_password


def test_must_change_user_has_must_change_and_no_password_last_set(ad_directory, samba_dc):
    name = samba_dc.unique("mustc")
    samba_dc.create_user(name, PASSWORD, must_change=True)
    user = ad_directory.find_user(name)
    assert user.must_change_password
    assert user.password_last_set is None
    # Samba also flags pwdLastSet=0 as expired in msDS-User-Account-Control-Computed.
    assert user.password_expired


def test_disabled_user_is_disabled(ad_directory, samba_dc):
    name = samba_dc.unique("dis")
    samba_dc.create_user(name, PASSWORD, disabled=True)
    assert ad_directory.find_user(name).disabled


def test_list_users_includes_created_users_sorted_by_name(ad_directory, anna, samba_dc):
    users = ad_directory.list_users()
    names = [u.username for u in users]
    assert anna["username"] in names
    assert samba_dc.bind_dn in [u.dn for u in users]
    assert names == sorted(names, key=str.casefold)


def test_list_users_follows_the_user_filter(settings, ad_directory, anna):
    settings.LDAP_USER_FILTER = (
        "(&(objectClass=user)(memberOf=CN=Helpdesk,OU=Staff,DC=test,DC=local))"
    )
    from identity.directory import get_directory

    assert anna["username"] in [u.username for u in get_directory().list_users()]
    assert "Administrator" not in [u.username for u in get_directory().list_users()]


def test_base_dn_limits_the_lookup(settings, ad_directory, samba_dc):
    settings.LDAP_BASE_DN = samba_dc.staff_ou
    from identity.directory import get_directory

    assert get_directory().find_user("Administrator") is None
