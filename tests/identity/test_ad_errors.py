"""AD's answers mapped to directory errors (the exact texts Samba and Windows send)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from identity.directory import (
    AccountDisabled,
    AccountExpired,
    AccountLocked,
    DirectoryError,
    DirectoryUnavailable,
    DirectoryUser,
    MustChangePassword,
    PasswordExpired,
    PasswordPolicy,
    PolicyViolation,
    WrongPassword,
)
from identity.directory.ad_errors import bind_error, infer_policy_reason, write_error

BIND = "80090308: LdapErr: DSID-0C0903A9, comment: AcceptSecurityContext error, data {}, v1db1"


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ("52e", WrongPassword),
        ("525", WrongPassword),
        ("775", AccountLocked),
        ("533", AccountDisabled),
        ("773", MustChangePassword),
        ("532", PasswordExpired),
        ("701", AccountExpired),
    ],
)
def test_bind_sub_code_names_the_error(data, error):
    mapped = bind_error(
        {"result": 49, "description": "invalidCredentials", "message": BIND.format(data)}
    )
    assert type(mapped) is error
    assert mapped.detail == data


def test_invalid_credentials_without_a_sub_code_is_wrong_password():
    assert type(bind_error({"result": 49, "message": ""})) is WrongPassword


def test_unknown_bind_sub_code_is_a_generic_error_not_wrong_password():
    assert type(bind_error({"result": 49, "message": BIND.format("568")})) is DirectoryError


def test_busy_server_on_bind_is_unavailable():
    assert type(bind_error({"result": 51, "message": ""})) is DirectoryUnavailable


@pytest.mark.parametrize(
    ("message", "reason"),
    [
        (
            "0000052D: Constraint violation - check_password_restrictions: the password is "
            "too short. It should be equal or longer than 7 characters!",
            "too_short",
        ),
        (
            "0000052D: Constraint violation - check_password_restrictions: the password does "
            "not meet the complexity criteria!",
            "complexity",
        ),
        (
            "0000052D: Constraint violation - check_password_restrictions: the password was "
            "already used (in history)!",
            "history",
        ),
        (
            "0000052D: Constraint violation - check_password_restrictions: the password was "
            "already used (previous password)!",
            "history",
        ),
        (
            "0000052D: Constraint violation - check_password_restrictions: password is too "
            "young to change!",
            "too_young",
        ),
        # Windows says no more than this.
        (
            "0000052D: AtrErr: DSID-03191083, #1:\n\t0: 0000052D: DSID-03191083, problem 1005 "
            "(CONSTRAINT_ATT_TYPE), data 0, Att 9005a (unicodePwd)\n",
            "unknown",
        ),
    ],
)
def test_policy_refusal_reason_comes_from_the_text_after_0000052d(message, reason):
    error = write_error({"result": 19, "description": "constraintViolation", "message": message})
    assert isinstance(error, PolicyViolation)
    assert error.reason == reason


def test_windows_policy_refusal_as_unwilling_to_perform_is_a_policy_violation():
    message = "0000052D: SvcErr: DSID-031A12D2, problem 5003 (WILL_NOT_PERFORM), data 0\n"
    assert isinstance(write_error({"result": 53, "message": message}), PolicyViolation)


def test_wrong_old_password_on_change_is_wrong_password():
    message = (
        "00000056: Constraint violation - check_password_restrictions: "
        "The old password specified doesn't match!"
    )
    assert type(write_error({"result": 19, "message": message})) is WrongPassword


def test_change_of_a_locked_account_is_account_locked():
    message = "00000775: Password change not permitted, account locked out!"
    assert type(write_error({"result": 19, "message": message})) is AccountLocked


def test_missing_rights_is_a_generic_error():
    message = "00002098: Object CN=x has no write property access"
    assert type(write_error({"result": 50, "message": message})) is DirectoryError


POLICY = PasswordPolicy(min_length=8, complexity=True, history_length=24, min_age_days=1)
USER = DirectoryUser(
    guid="x",
    dn="CN=anna",
    username="anna",
    display_name="Anna Andersson",
    password_last_set=datetime(2026, 1, 1, tzinfo=UTC),
)


@pytest.mark.parametrize(
    ("password", "now", "reason"),
    [
        ("Kort-1", datetime(2026, 2, 1, tzinfo=UTC), "too_short"),
        ("baralitenabokstaver", datetime(2026, 2, 1, tzinfo=UTC), "complexity"),
        ("Anna-Losen-42", datetime(2026, 2, 1, tzinfo=UTC), "complexity"),
        ("Helt-Okej-Losen-42", datetime(2026, 2, 1, tzinfo=UTC), "history"),
        ("Helt-Okej-Losen-42", datetime(2026, 1, 1, tzinfo=UTC) + timedelta(hours=1), "too_young"),
    ],
)
def test_unexplained_refusal_reason_is_inferred_from_the_policy(password, now, reason):
    inferred = infer_policy_reason(
        password, policy=POLICY, user=USER, check_age=True, check_history=True, now=now
    )
    assert inferred == reason


def test_unexplained_admin_reset_refusal_without_history_is_unknown():
    inferred = infer_policy_reason(
        "Helt-Okej-Losen-42", policy=POLICY, user=USER, check_age=False, check_history=False
    )
    assert inferred == "unknown"
