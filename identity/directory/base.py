"""The directory interface every backend implements, its data and its errors.

Errors are named after what happened to the user (wrong password, locked, ...),
mapped by each backend from its own codes (AD: the ``data XXX`` sub-code of a
failed bind, ``0000052D`` for policy), so views never look at LDAP messages.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta


class DirectoryError(Exception):
    """Base of every directory error. ``code`` keys the user-facing message."""

    code = "directory_error"
    #: True when trying the same thing again cannot help.
    permanent = True

    def __init__(self, message: str = "", *, detail: str = "") -> None:
        super().__init__(message or self.code)
        #: Technical detail for logs and the audit trail (never a password).
        self.detail = detail


class WrongPassword(DirectoryError):
    """Wrong password, or no such user (AD answers both the same: 52e)."""

    code = "wrong_password"


class AccountLocked(DirectoryError):
    code = "account_locked"


class AccountDisabled(DirectoryError):
    code = "account_disabled"


class AccountExpired(DirectoryError):
    code = "account_expired"


class PasswordExpired(DirectoryError):
    code = "password_expired"


class MustChangePassword(DirectoryError):
    code = "must_change_password"


class PolicyViolation(DirectoryError):
    """A new password that the directory refused. ``reason`` is one of
    ``too_short``, ``complexity``, ``history``, ``too_young``, ``unknown``."""

    code = "policy_violation"

    def __init__(self, message: str = "", *, reason: str = "unknown", detail: str = "") -> None:
        super().__init__(message or f"policy_violation:{reason}", detail=detail)
        self.reason = reason


class UserNotFound(DirectoryError):
    code = "user_not_found"


class DirectoryUnavailable(DirectoryError):
    """No directory server answered (every URL tried), or it timed out."""

    code = "directory_unavailable"
    permanent = False


@dataclass(frozen=True)
class DirectoryUser:
    guid: str  # objectGUID as a lowercase UUID string: the stable link to enrollments
    dn: str
    username: str  # sAMAccountName
    upn: str = ""
    display_name: str = ""
    given_name: str = ""
    mail: str = ""
    mobile: str = ""
    groups: tuple[str, ...] = ()  # CNs of the groups in memberOf
    disabled: bool = False
    locked: bool = False
    password_expired: bool = False
    must_change_password: bool = False
    password_last_set: datetime | None = None
    extra: dict[str, str] = field(default_factory=dict)  # settings.LDAP_EXTRA_ATTRIBUTES
    #: userAccountControl DONT_EXPIRE_PASSWORD.
    password_never_expires: bool = False
    #: When the password expires: filled by ``password_expiries()`` only
    #: (None: never, or not asked).
    password_expires_at: datetime | None = None
    #: AD's adminCount=1: a member (now or once) of a protected group such as
    #: Domain Admins, Account Operators or Backup Operators.
    privileged: bool = False

    def in_any_group(self, names: list[str] | tuple[str, ...]) -> bool:
        wanted = {n.casefold() for n in names}
        return any(g.casefold() in wanted for g in self.groups)


@dataclass(frozen=True)
class PasswordPolicy:
    min_length: int = 7
    complexity: bool = True
    history_length: int = 24
    lockout_threshold: int = 0
    lockout_duration_seconds: int = 1800
    max_age_days: int = 0  # 0: never expires
    min_age_days: int = 0


def expiry_time(last_set: datetime | None, max_age_seconds: int) -> datetime | None:
    """When a password set at ``last_set`` expires under a maximum age
    (None: it never does, or it must be changed at the next logon)."""
    if last_set is None or max_age_seconds <= 0:
        return None
    return last_set + timedelta(seconds=max_age_seconds)


class DirectoryBackend:
    """What the portal asks of a directory. Each method documents its errors."""

    def authenticate(self, username: str, password: str) -> DirectoryUser:
        """Check a user's password and return the user.

        ``username`` is a sAMAccountName, userPrincipalName or mail. Raises
        WrongPassword (also for unknown users), AccountLocked, AccountDisabled,
        AccountExpired, PasswordExpired, MustChangePassword, DirectoryUnavailable.
        """
        raise NotImplementedError

    def find_user(self, identifier: str) -> DirectoryUser | None:
        """The user whose sAMAccountName, userPrincipalName or mail is
        ``identifier`` (case-insensitive), or None. Raises DirectoryUnavailable."""
        raise NotImplementedError

    def get_user(self, guid: str) -> DirectoryUser | None:
        """The user with this objectGUID, or None. Raises DirectoryUnavailable."""
        raise NotImplementedError

    def list_users(self) -> list[DirectoryUser]:
        """Every user under the base DN that the user filter selects."""
        raise NotImplementedError

    def password_expiries(self) -> list[DirectoryUser]:
        """The enabled users in scope whose password can expire, each with
        ``password_expires_at``. This default computes it from
        ``password_last_set`` and the domain policy's maximum age; a backend
        that knows better (AD: msDS-UserPasswordExpiryTimeComputed, which
        honours fine-grained policies) overrides it. Raises DirectoryUnavailable."""
        max_age = self.password_policy().max_age_days * 24 * 3600
        return [
            replace(user, password_expires_at=expiry_time(user.password_last_set, max_age))
            for user in self.list_users()
            if not user.disabled and not user.password_never_expires
        ]

    def set_password(
        self,
        user: DirectoryUser,
        new_password: str,
        *,
        enforce_history: bool = True,
        must_change: bool = False,
    ) -> None:
        """Admin reset of the user's password. With ``enforce_history`` the
        directory is asked to apply history like a user's own change (AD policy
        hints control). Raises PolicyViolation, DirectoryUnavailable."""
        raise NotImplementedError

    def enforces_history_on_reset(self) -> bool:
        """True when ``set_password(enforce_history=True)`` is checked against
        the directory's own password history (AD with the policy hints
        control). When False the portal keeps a history of its own resets."""
        return False

    def change_password(self, username: str, old_password: str, new_password: str) -> DirectoryUser:
        """The user's own change: works for an expired or must-change password.
        Raises WrongPassword, AccountLocked, AccountDisabled, PolicyViolation,
        DirectoryUnavailable."""
        raise NotImplementedError

    def unlock(self, user: DirectoryUser) -> None:
        """Clear a lockout (``lockoutTime=0``). Raises DirectoryUnavailable."""
        raise NotImplementedError

    def nested_group_dns(self, user: DirectoryUser) -> tuple[str, ...]:
        """The DNs of every group ``user`` is a member of, directly or through
        groups in groups (AD: LDAP_MATCHING_RULE_IN_CHAIN), read now: per-group
        policies decide with it. The primary group (Domain Users) is not
        listed, as in ``memberOf``. A user that does not exist has none.
        Raises DirectoryUnavailable."""
        raise NotImplementedError

    def nested_member_guids(self, group_dn: str) -> set[str]:
        """The objectGUIDs of the users in the group ``group_dn``, directly or
        through nested groups (one search, for lists of users). Raises
        DirectoryUnavailable."""
        raise NotImplementedError

    def password_policy(self) -> PasswordPolicy:
        """The domain's password policy. Raises DirectoryUnavailable."""
        raise NotImplementedError

    def check(self) -> None:
        """Raise DirectoryUnavailable unless the directory answers (health checks)."""
        raise NotImplementedError

    def netbios_domain(self) -> str:
        """The NetBIOS name ``DOMAIN\\user`` is accepted for ("" if none)."""
        from .names import netbios_domain

        return netbios_domain()

    def upn_suffixes(self) -> tuple[str, ...]:
        """The domain's own UPN suffixes (lower case): ``user@suffix`` names the
        account ``user`` (the usual layout). From ``LDAP_BASE_DN``'s DC= labels."""
        from .names import base_dn_suffix

        suffix = base_dn_suffix()
        return (suffix,) if suffix else ()

    def close(self) -> None:
        """Release pooled connections."""
