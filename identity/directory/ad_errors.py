"""Active Directory's answers, mapped to the directory errors of ``base``.

AD says *why* a bind failed in the ``data XXX`` sub-code of result 49, and why
a password write failed in the Win32 code that starts the diagnostic message
(``0000052D`` policy, ``00000056`` wrong old password, ``00000775`` locked).
Everything here works from those codes. Only the *reason* of a policy refusal
needs the text after ``0000052D`` (Samba spells it out; Windows does not, so
``infer_policy_reason`` reconstructs it from the domain policy).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from .base import (
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
    UserNotFound,
    WrongPassword,
)
from .complexity import meets_ad_complexity

# LDAP result codes (RFC 4511) that AD uses here.
SUCCESS = 0
OPERATIONS_ERROR = 1
STRONGER_AUTH_REQUIRED = 8
UNAVAILABLE_CRITICAL_EXTENSION = 12
CONSTRAINT_VIOLATION = 19
NO_SUCH_OBJECT = 32
INVALID_CREDENTIALS = 49
INSUFFICIENT_ACCESS_RIGHTS = 50
BUSY = 51
UNAVAILABLE = 52
UNWILLING_TO_PERFORM = 53
#: Results that mean "this server cannot answer now": another try may work.
TRANSIENT_RESULTS = {BUSY, UNAVAILABLE, 80, 81, 85, 91}

# The ``data XXX`` sub-code of a failed bind (Win32 error, in hex).
BIND_ERRORS: dict[str, type[DirectoryError]] = {
    "525": WrongPassword,  # no such user: answered like a wrong password
    "52e": WrongPassword,
    "775": AccountLocked,
    "533": AccountDisabled,
    "773": MustChangePassword,
    "532": PasswordExpired,
    "701": AccountExpired,
    # Logon-hours and workstation restrictions: the account exists and is
    # usable elsewhere or later, but the portal can only tell the user to ask.
    "530": AccountDisabled,
    "531": AccountDisabled,
}
#: Sub-codes that prove the password was right: the account just may not log
#: on with it. A password change is still allowed for these.
PASSWORD_ACCEPTED_CODES = {"773", "532"}

# The Win32 code that starts the diagnostic message of a failed write.
POLICY_CODE = "0000052D"
WRONG_OLD_PASSWORD_CODE = "00000056"
LOCKED_CODE = "00000775"

_DATA_CODE = re.compile(r"\bdata ([0-9a-fA-F]{3,8})\b")
_WIN32_CODE = re.compile(r"^\s*([0-9a-fA-F]{8})\b")

# Samba's words after 0000052D (source4 password_hash.c), lowercased.
_REASON_WORDS = (
    ("too short", "too_short"),
    ("complexity", "complexity"),
    ("already used", "history"),
    ("history", "history"),
    ("too young", "too_young"),
)


def bind_data_code(message: str) -> str:
    """The ``data XXX`` sub-code of a failed bind, lowercase, or ``""``."""
    match = _DATA_CODE.search(message or "")
    return match.group(1).lower() if match else ""


def win32_code(message: str) -> str:
    """The 8-digit Win32 code that starts a diagnostic message, uppercase, or ``""``."""
    match = _WIN32_CODE.match(message or "")
    return match.group(1).upper() if match else ""


def bind_error(result: dict) -> DirectoryError:
    """The error for a failed simple bind as a user."""
    code = result.get("result")
    message = result.get("message") or ""
    detail = f"{code} {result.get('description', '')}: {message}".strip()
    if code == INVALID_CREDENTIALS:
        data = bind_data_code(message)
        if not data:  # a server that is not AD: all it says is "invalid credentials"
            return WrongPassword(detail=detail)
        error_class = BIND_ERRORS.get(data)
        return error_class(detail=data) if error_class else DirectoryError(detail=detail)
    if code in TRANSIENT_RESULTS:
        return DirectoryUnavailable(detail=detail)
    return DirectoryError(detail=detail)


def policy_reason(message: str) -> str:
    """The reason of a 0000052D refusal from its text; ``unknown`` if not said."""
    text = (message or "").lower()
    for words, reason in _REASON_WORDS:
        if words in text:
            return reason
    return "unknown"


def write_error(result: dict) -> DirectoryError:
    """The error for a failed password write (reset or the user's own change)."""
    code = result.get("result")
    message = result.get("message") or ""
    detail = f"{code} {result.get('description', '')}: {message}".strip()
    win32 = win32_code(message)
    # Windows answers policy refusals with 19 or 53, always with 0000052D.
    if win32 == POLICY_CODE:
        return PolicyViolation(reason=policy_reason(message), detail=detail)
    if win32 == WRONG_OLD_PASSWORD_CODE:
        return WrongPassword(detail=detail)
    if win32 == LOCKED_CODE:
        return AccountLocked(detail=detail)
    if code == CONSTRAINT_VIOLATION:
        return PolicyViolation(reason="unknown", detail=detail)
    if code == NO_SUCH_OBJECT:
        return UserNotFound(detail=detail)
    if code in TRANSIENT_RESULTS:
        return DirectoryUnavailable(detail=detail)
    return DirectoryError(detail=detail)


def infer_policy_reason(
    new_password: str,
    *,
    policy: PasswordPolicy,
    user: DirectoryUser | None,
    check_age: bool,
    check_history: bool,
    now: datetime | None = None,
) -> str:
    """The likely reason of a refusal that AD did not explain (Windows sends
    no text after 0000052D). Age first: while too young, no password passes.
    ``check_age`` for a user's own change, ``check_history`` when history applied."""
    username = user.username if user else ""
    display_name = user.display_name if user else ""
    if check_age and policy.min_age_days and user and user.password_last_set:
        now = now or datetime.now(UTC)
        if now < user.password_last_set + timedelta(days=policy.min_age_days):
            return "too_young"
    if len(new_password) < policy.min_length:
        return "too_short"
    if policy.complexity and not meets_ad_complexity(new_password, username, display_name):
        return "complexity"
    if check_history and policy.history_length:
        return "history"
    return "unknown"
