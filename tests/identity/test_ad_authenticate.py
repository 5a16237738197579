"""Logging in against the real Samba AD DC: binds and what AD answers."""

from __future__ import annotations

import pytest

from identity.directory import (
    AccountDisabled,
    AccountExpired,
    AccountLocked,
    MustChangePassword,
    WrongPassword,
)

pytestmark = pytest.mark.samba

PASSWORD = "Ratt-Losen-42"


@pytest.fixture
def ad_user(samba_dc):
    def make(**kwargs):
        name = samba_dc.unique(kwargs.pop("prefix", "auth"))
        return samba_dc.create_user(name, PASSWORD, **kwargs)

    return make


def test_right_password_returns_the_user(ad_directory, ad_user):
    created = ad_user(display_name="Anna Andersson")
    user = ad_directory.authenticate(created["username"], PASSWORD)
    assert user.guid == created["guid"]
    assert user.display_name == "Anna Andersson"


def test_wrong_password_is_wrong_password(ad_directory, ad_user):
    created = ad_user()
    with pytest.raises(WrongPassword) as caught:
        ad_directory.authenticate(created["username"], "Fel-Losen-99")
    assert caught.value.detail == "52e"


def test_unknown_user_is_answered_like_a_wrong_password(ad_directory):
    with pytest.raises(WrongPassword) as caught:
        ad_directory.authenticate("finns-inte", PASSWORD)
    assert caught.value.code == "wrong_password"


def test_empty_password_is_wrong_password_without_an_anonymous_bind(ad_directory, ad_user):
    created = ad_user()
    with pytest.raises(WrongPassword):
        ad_directory.authenticate(created["username"], "")


def test_login_by_user_principal_name(ad_directory, ad_user):
    created = ad_user()
    assert ad_directory.authenticate(created["upn"].upper(), PASSWORD).guid == created["guid"]


def test_login_by_mail(ad_directory, ad_user, samba_dc):
    name = samba_dc.unique("mail")
    created = samba_dc.create_user(name, PASSWORD, mail=f"{name}.andersson@example.se")
    user = ad_directory.authenticate(f"{name}.Andersson@example.se", PASSWORD)
    assert user.guid == created["guid"]


def test_fourth_attempt_after_three_wrong_passwords_is_locked(ad_directory, ad_user):
    created = ad_user(prefix="lock")
    for _ in range(3):
        with pytest.raises(WrongPassword):
            ad_directory.authenticate(created["username"], "Fel-Losen-99")
    with pytest.raises(AccountLocked) as caught:
        ad_directory.authenticate(created["username"], PASSWORD)
    assert caught.value.detail == "775"
    assert ad_directory.find_user(created["username"]).locked


def test_unlock_lets_a_locked_user_log_in_again(ad_directory, ad_user):
    created = ad_user(prefix="unlock")
    for _ in range(3):
        with pytest.raises(WrongPassword):
            ad_directory.authenticate(created["username"], "Fel-Losen-99")
    locked = ad_directory.find_user(created["username"])
    assert locked.locked
    ad_directory.unlock(locked)
    assert ad_directory.authenticate(created["username"], PASSWORD).locked is False


def test_disabled_account_with_right_password_is_account_disabled(ad_directory, ad_user):
    created = ad_user(disabled=True)
    with pytest.raises(AccountDisabled):
        ad_directory.authenticate(created["username"], PASSWORD)


def test_disabled_account_with_wrong_password_is_only_wrong_password(ad_directory, ad_user):
    created = ad_user(disabled=True)
    with pytest.raises(WrongPassword):
        ad_directory.authenticate(created["username"], "Fel-Losen-99")


def test_must_change_account_is_must_change_password(ad_directory, ad_user):
    created = ad_user(must_change=True)
    with pytest.raises(MustChangePassword) as caught:
        ad_directory.authenticate(created["username"], PASSWORD)
    assert caught.value.detail == "773"


def test_expired_account_is_account_expired(ad_directory, ad_user, samba_dc):
    from ldap3 import MODIFY_REPLACE

    created = ad_user()
    admin = samba_dc.ldap_admin()
    # accountExpires one second after 1601-01-01: long gone.
    admin.modify(created["dn"], {"accountExpires": [(MODIFY_REPLACE, [10_000_000])]})
    assert admin.result["result"] == 0
    with pytest.raises(AccountExpired) as caught:
        ad_directory.authenticate(created["username"], PASSWORD)
    assert caught.value.detail == "701"


@pytest.mark.parametrize(
    "username", ["*", "a*", ")(", "\\", "*)(objectClass=*)", "auth*", "*)(|(sAMAccountName=*"]
)
def test_ldap_filter_characters_in_the_username_find_nobody(ad_directory, ad_user, username):
    ad_user()  # there is someone to find, if the filter were injectable
    assert ad_directory.find_user(username) is None
    with pytest.raises(WrongPassword):
        ad_directory.authenticate(username, PASSWORD)


@pytest.mark.parametrize(
    "username",
    ["a" * 10_000, "anna\x00", "an\nna", "\udcff\udcfe", "   "],
    ids=["10kB", "nul", "newline", "not-utf8", "blank"],
)
def test_unusable_usernames_are_wrong_password_and_the_directory_still_works(
    ad_directory, ad_user, username
):
    created = ad_user()
    with pytest.raises(WrongPassword):
        ad_directory.authenticate(username, PASSWORD)
    assert ad_directory.authenticate(created["username"], PASSWORD).guid == created["guid"]


def test_password_with_non_ascii_characters_binds(ad_directory, samba_dc):
    name = samba_dc.unique("utf")
    samba_dc.create_user(name, "Smörgåsbord-Ärlig-7")
    assert ad_directory.authenticate(name, "Smörgåsbord-Ärlig-7").username == name
