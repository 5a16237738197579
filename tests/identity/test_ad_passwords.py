"""Password writes against the real Samba AD DC: admin reset and the user's own change."""

from __future__ import annotations

import logging

import pytest

from identity.directory import (
    AccountDisabled,
    AccountLocked,
    DirectoryError,
    MustChangePassword,
    PolicyViolation,
    WrongPassword,
)
from identity.directory.ad_values import POLICY_HINTS_OID

pytestmark = pytest.mark.samba

PASSWORD = "Forsta-Losen-1"
SECOND = "Andra-Losen-22"
THIRD = "Tredje-Losen-333"


@pytest.fixture
def ad_user(samba_dc, ad_directory):
    """Create a user in OU=Staff and return it as the backend sees it."""

    def make(**kwargs):
        name = samba_dc.unique(kwargs.pop("prefix", "pw"))
        samba_dc.create_user(name, kwargs.pop("password", PASSWORD), **kwargs)
        return ad_directory.find_user(name)

    return make


# --- admin reset ------------------------------------------------------------------
def test_admin_reset_sets_a_password_that_binds(ad_directory, ad_user):
    user = ad_user()
    ad_directory.set_password(user, SECOND)
    assert ad_directory.authenticate(user.username, SECOND).guid == user.guid


def test_admin_reset_stops_the_old_password_from_binding(ad_directory, ad_user):
    user = ad_user()
    ad_directory.set_password(user, SECOND)
    with pytest.raises(WrongPassword):
        ad_directory.authenticate(user.username, PASSWORD)


def test_admin_reset_to_a_too_short_password_is_policy_violation_too_short(ad_directory, ad_user):
    user = ad_user()
    with pytest.raises(PolicyViolation) as caught:
        ad_directory.set_password(user, "Ab1-")
    assert caught.value.reason == "too_short"
    assert caught.value.detail.startswith("19 constraintViolation: 0000052D")


def test_admin_reset_to_a_simple_password_is_policy_violation_complexity(ad_directory, ad_user):
    user = ad_user()
    with pytest.raises(PolicyViolation) as caught:
        ad_directory.set_password(user, "baralitenabokstaver")
    assert caught.value.reason == "complexity"


def test_admin_reset_with_must_change_makes_the_next_login_must_change(ad_directory, ad_user):
    user = ad_user()
    ad_directory.set_password(user, SECOND, must_change=True)
    assert ad_directory.get_user(user.guid).must_change_password
    with pytest.raises(MustChangePassword):
        ad_directory.authenticate(user.username, SECOND)


def test_admin_reset_of_a_must_change_user_clears_must_change(ad_directory, ad_user):
    user = ad_user(must_change=True)
    ad_directory.set_password(user, SECOND)
    assert not ad_directory.get_user(user.guid).must_change_password
    assert ad_directory.authenticate(user.username, SECOND).username == user.username


def test_samba_does_not_advertise_the_policy_hints_control(ad_directory):
    # Samba 4.17 lists neither 1.2.840.113556.1.4.2239 nor the older ...2066.
    assert POLICY_HINTS_OID not in ad_directory._root()["controls"]
    assert "1.2.840.113556.1.4.2066" not in ad_directory._root()["controls"]


def test_samba_refuses_the_policy_hints_control_sent_as_critical(samba_dc, ad_user):
    from ldap3 import MODIFY_REPLACE

    from identity.directory.ad_values import encode_password, policy_hints_value

    user = ad_user()
    admin = samba_dc.ldap_admin()
    admin.modify(
        user.dn,
        {"unicodePwd": [(MODIFY_REPLACE, [encode_password(SECOND)])]},
        controls=[(POLICY_HINTS_OID, True, policy_hints_value())],
    )
    assert admin.result["description"] == "unavailableCriticalExtension"


def test_samba_admin_reset_to_a_password_in_history_succeeds_despite_enforce_history(
    ad_directory, ad_user
):
    """Documents Samba 4.17: it ignores the policy hints control, so an admin
    reset does not check history (Windows 2012 R2+ refuses with history).
    The portal's own policy layer has to keep its own history for resets."""
    user = ad_user()
    ad_directory.set_password(user, SECOND, enforce_history=True)
    ad_directory.set_password(user, PASSWORD, enforce_history=True)
    assert ad_directory.authenticate(user.username, PASSWORD).guid == user.guid


# --- the user's own change ------------------------------------------------------------
def test_own_change_sets_the_new_password(ad_directory, ad_user):
    user = ad_user()
    changed = ad_directory.change_password(user.username, PASSWORD, SECOND)
    assert changed.guid == user.guid
    assert changed.password_last_set >= user.password_last_set
    assert ad_directory.authenticate(user.username, SECOND).guid == user.guid


def test_own_change_with_wrong_old_password_is_wrong_password(ad_directory, ad_user):
    user = ad_user()
    with pytest.raises(WrongPassword):
        ad_directory.change_password(user.username, "Fel-Losen-99", SECOND)


def test_own_change_for_unknown_user_is_wrong_password(ad_directory):
    with pytest.raises(WrongPassword):
        ad_directory.change_password("finns-inte", PASSWORD, SECOND)


def test_own_change_back_to_the_previous_password_is_policy_violation_history(
    ad_directory, ad_user
):
    user = ad_user()
    ad_directory.change_password(user.username, PASSWORD, SECOND)
    with pytest.raises(PolicyViolation) as caught:
        ad_directory.change_password(user.username, SECOND, PASSWORD)
    assert caught.value.reason == "history"


def test_own_change_to_an_older_password_in_history_is_policy_violation_history(
    ad_directory, ad_user
):
    user = ad_user()
    ad_directory.change_password(user.username, PASSWORD, SECOND)
    ad_directory.change_password(user.username, SECOND, THIRD)
    with pytest.raises(PolicyViolation) as caught:
        ad_directory.change_password(user.username, THIRD, PASSWORD)
    assert caught.value.reason == "history"


def test_own_change_to_a_too_short_password_is_policy_violation_too_short(ad_directory, ad_user):
    user = ad_user()
    with pytest.raises(PolicyViolation) as caught:
        ad_directory.change_password(user.username, PASSWORD, "Ab1-")
    assert caught.value.reason == "too_short"


def test_own_change_to_a_simple_password_is_policy_violation_complexity(ad_directory, ad_user):
    user = ad_user()
    with pytest.raises(PolicyViolation) as caught:
        ad_directory.change_password(user.username, PASSWORD, "baralitenabokstaver")
    assert caught.value.reason == "complexity"


def test_own_change_too_soon_after_the_last_is_policy_violation_too_young(
    ad_directory, ad_user, samba_dc
):
    user = ad_user()
    with samba_dc.policy(min_pwd_age=1):
        with pytest.raises(PolicyViolation) as caught:
            ad_directory.change_password(user.username, PASSWORD, SECOND)
    assert caught.value.reason == "too_young"


def test_must_change_user_can_change_and_then_log_in(ad_directory, ad_user):
    user = ad_user(must_change=True)
    with pytest.raises(MustChangePassword):
        ad_directory.authenticate(user.username, PASSWORD)
    changed = ad_directory.change_password(user.username, PASSWORD, SECOND)
    assert not changed.must_change_password
    assert ad_directory.authenticate(user.username, SECOND).guid == user.guid


def test_must_change_user_with_wrong_old_password_is_wrong_password(ad_directory, ad_user):
    user = ad_user(must_change=True)
    with pytest.raises(WrongPassword):
        ad_directory.change_password(user.username, "Fel-Losen-99", SECOND)


def test_must_change_user_changing_to_the_same_password_is_policy_violation_history(
    ad_directory, ad_user
):
    user = ad_user(must_change=True)
    with pytest.raises(PolicyViolation) as caught:
        ad_directory.change_password(user.username, PASSWORD, PASSWORD)
    assert caught.value.reason == "history"


def test_own_change_of_a_locked_account_is_account_locked(ad_directory, ad_user):
    user = ad_user()
    for _ in range(3):
        with pytest.raises(WrongPassword):
            ad_directory.authenticate(user.username, "Fel-Losen-99")
    with pytest.raises(AccountLocked):
        ad_directory.change_password(user.username, PASSWORD, SECOND)


def test_own_change_of_a_disabled_account_is_account_disabled(ad_directory, ad_user):
    user = ad_user(disabled=True)
    with pytest.raises(AccountDisabled):
        ad_directory.change_password(user.username, PASSWORD, SECOND)
    with pytest.raises(AccountDisabled):  # and the password was not changed
        ad_directory.authenticate(user.username, PASSWORD)


def test_wrong_old_passwords_count_towards_lockout(ad_directory, ad_user):
    user = ad_user()
    for _ in range(3):
        with pytest.raises(WrongPassword):
            ad_directory.change_password(user.username, "Fel-Losen-99", SECOND)
    assert ad_directory.find_user(user.username).locked


def test_samba_accepts_a_password_containing_the_account_name(ad_directory, ad_user):
    """Windows refuses this; Samba does not, and the backend does not add the
    rule (the portal's policy layer does)."""
    user = ad_user()
    ad_directory.set_password(user, f"{user.username}-X9")
    assert ad_directory.authenticate(user.username, f"{user.username}-X9").guid == user.guid


def test_reset_announces_once_that_history_is_not_enforced_by_this_dc(
    ad_directory, ad_user, caplog
):
    user = ad_user()
    with caplog.at_level(logging.WARNING, logger="identity.directory.ad"):
        ad_directory.set_password(user, SECOND)
        ad_directory.set_password(user, THIRD)
    warnings = [r for r in caplog.records if "policy hints" in r.getMessage()]
    assert len(warnings) == 1


def test_reset_without_the_delegated_right_is_a_logged_error(ad_directory, samba_dc, caplog):
    # Users outside OU=Staff are not delegated to the service account.
    name = samba_dc.unique("nodeleg")
    samba_dc.create_user(name, PASSWORD, ou=f"CN=Users,{samba_dc.base_dn}")
    user = ad_directory.find_user(name)
    with caplog.at_level(logging.ERROR, logger="identity.directory.ad"):
        with pytest.raises(DirectoryError) as caught:
            ad_directory.set_password(user, SECOND)
    assert type(caught.value) is DirectoryError
    assert "insufficientAccessRights" in caught.value.detail
    assert any(user.dn in r.getMessage() for r in caplog.records)


def test_the_backend_says_samba_does_not_apply_history_to_resets(ad_directory):
    # So the portal keeps its own history of resets (reset/history.py).
    assert ad_directory.enforces_history_on_reset() is False
