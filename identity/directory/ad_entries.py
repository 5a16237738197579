"""Reading AD entries: raw attribute values to DirectoryUser and PasswordPolicy.

Connections are opened without schema (``get_info=NONE``: no schema download
per connection), so every value arrives as raw bytes and is decoded here.
"""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta

from ldap3.core.exceptions import LDAPInvalidDnError
from ldap3.utils.conv import escape_bytes, escape_filter_chars
from ldap3.utils.dn import parse_dn

from .base import DirectoryUser, PasswordPolicy

UF_ACCOUNTDISABLE = 0x2
UF_LOCKOUT = 0x10
UF_PASSWORD_EXPIRED = 0x800000
UF_DONT_EXPIRE_PASSWD = 0x10000
#: Read only for the expiry reminders (constructed attributes: not on every lookup).
EXPIRY_ATTRIBUTES = ["msDS-UserPasswordExpiryTimeComputed", "msDS-ResultantPSO"]
#: A password settings object's maximum age (fine-grained password policy).
PSO_MAX_AGE = "msDS-MaximumPasswordAge"

USER_ATTRIBUTES = [
    "objectGUID",
    "sAMAccountName",
    "userPrincipalName",
    "displayName",
    "givenName",
    "mail",
    "mobile",
    "memberOf",
    "userAccountControl",
    "msDS-User-Account-Control-Computed",
    "pwdLastSet",
    "adminCount",
]
POLICY_ATTRIBUTES = [
    "minPwdLength",
    "pwdProperties",
    "pwdHistoryLength",
    "lockoutThreshold",
    "lockoutDuration",
    "maxPwdAge",
    "minPwdAge",
]
DOMAIN_PASSWORD_COMPLEX = 0x1

_FILETIME_EPOCH = datetime(1601, 1, 1, tzinfo=UTC)
# AD's "never" for intervals (maxPwdAge, lockoutDuration): the most negative int64.
_NEVER = -(2**63)
_TICKS_PER_SECOND = 10_000_000
_HEX_ESCAPE = re.compile(r"\\([0-9a-fA-F]{2})|\\(.)")


def user_filter(base_filter: str, identifier: str) -> str:
    """The search filter for a sAMAccountName, userPrincipalName or mail.

    The value is escaped, so ``*``, ``(``, ``)`` and ``\\`` match themselves only.
    """
    value = escape_filter_chars(identifier)
    lookup = f"(|(sAMAccountName={value})(userPrincipalName={value})(mail={value}))"
    return f"(&{base_filter}{lookup})" if base_filter else lookup


def guid_filter(base_filter: str, guid: str) -> str | None:
    """The search filter for an objectGUID given as a UUID string, or None if
    ``guid`` is not one."""
    try:
        raw = uuid.UUID(guid).bytes_le
    except (ValueError, TypeError, AttributeError):
        return None
    lookup = f"(objectGUID={escape_bytes(raw)})"
    return f"(&{base_filter}{lookup})" if base_filter else lookup


def _first(attributes: dict, name: str) -> bytes | None:
    for key, values in attributes.items():
        if key.lower() == name.lower():
            return values[0] if values else None
    return None


def _all(attributes: dict, name: str) -> list[bytes]:
    for key, values in attributes.items():
        if key.lower() == name.lower():
            return list(values)
    return []


def text(attributes: dict, name: str) -> str:
    value = _first(attributes, name)
    return value.decode("utf-8", "replace") if value is not None else ""


def integer(attributes: dict, name: str, default: int = 0) -> int:
    value = _first(attributes, name)
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def filetime(value: int) -> datetime | None:
    """A FILETIME (100 ns ticks since 1601) as an aware datetime; None for 0/never."""
    if value <= 0 or value >= 2**63 - 1:
        return None
    return _FILETIME_EPOCH + timedelta(microseconds=value // 10)


def interval_seconds(value: int) -> int:
    """A negative AD interval (100 ns ticks) in seconds; 0 for "never"/none."""
    if value == _NEVER or value == 0:
        return 0
    return abs(value) // _TICKS_PER_SECOND


def _unescape_dn_value(value: str) -> str:
    """An RDN value without its RFC 4514 escapes (``\\,`` and ``\\C3\\A5``)."""
    if "\\" not in value:
        return value
    out = bytearray()
    position = 0
    for match in _HEX_ESCAPE.finditer(value):
        out += value[position : match.start()].encode("utf-8")
        if match.group(1):
            out.append(int(match.group(1), 16))
        else:
            out += match.group(2).encode("utf-8")
        position = match.end()
    out += value[position:].encode("utf-8")
    return out.decode("utf-8", "replace")


def group_names(member_of: list[bytes]) -> tuple[str, ...]:
    """The CNs of the groups in ``memberOf``."""
    names = []
    for raw in member_of:
        try:
            rdn = parse_dn(raw.decode("utf-8"))[0]
        except (UnicodeDecodeError, LDAPInvalidDnError, IndexError):
            continue  # a DN we cannot read names no group we could match
        if rdn[0].lower() == "cn":
            names.append(_unescape_dn_value(rdn[1]))
    return tuple(sorted(names, key=str.casefold))


def to_user(dn: str, attributes: dict, extra_attributes: list[str]) -> DirectoryUser:
    uac = integer(attributes, "userAccountControl")
    computed = integer(attributes, "msDS-User-Account-Control-Computed")
    pwd_last_set = integer(attributes, "pwdLastSet", default=-1)
    raw_guid = _first(attributes, "objectGUID") or b""
    return DirectoryUser(
        guid=str(uuid.UUID(bytes_le=raw_guid)) if len(raw_guid) == 16 else "",
        dn=dn,
        username=text(attributes, "sAMAccountName"),
        upn=text(attributes, "userPrincipalName"),
        display_name=text(attributes, "displayName"),
        given_name=text(attributes, "givenName"),
        mail=text(attributes, "mail"),
        mobile=text(attributes, "mobile"),
        groups=group_names(_all(attributes, "memberOf")),
        disabled=bool(uac & UF_ACCOUNTDISABLE),
        locked=bool(computed & UF_LOCKOUT),
        password_expired=bool(computed & UF_PASSWORD_EXPIRED),
        must_change_password=pwd_last_set == 0,
        password_last_set=filetime(pwd_last_set),
        password_never_expires=bool(uac & UF_DONT_EXPIRE_PASSWD),
        privileged=integer(attributes, "adminCount") == 1,
        extra={
            name: text(attributes, name)
            for name in extra_attributes
            if _first(attributes, name) is not None
        },
    )


def to_policy(attributes: dict) -> PasswordPolicy:
    day = 24 * 3600
    return PasswordPolicy(
        min_length=integer(attributes, "minPwdLength"),
        complexity=bool(integer(attributes, "pwdProperties") & DOMAIN_PASSWORD_COMPLEX),
        history_length=integer(attributes, "pwdHistoryLength"),
        lockout_threshold=integer(attributes, "lockoutThreshold"),
        lockout_duration_seconds=interval_seconds(integer(attributes, "lockoutDuration")),
        max_age_days=interval_seconds(integer(attributes, "maxPwdAge")) // day,
        min_age_days=interval_seconds(integer(attributes, "minPwdAge")) // day,
    )


def password_expiry(
    attributes: dict, user: DirectoryUser, *, domain_max_age, pso_max_age
) -> datetime | None:
    """When the user's password expires (None: never, or must change now).

    ``msDS-UserPasswordExpiryTimeComputed`` when the DC returns it (Windows,
    and Samba 4.17, both honouring a fine-grained policy); otherwise
    pwdLastSet plus the resultant PSO's maximum age (``pso_max_age(dn)``,
    seconds, None when it cannot be read) or the domain's
    (``domain_max_age()``, seconds)."""
    if user.password_never_expires or user.must_change_password:
        return None
    computed = _first(attributes, "msDS-UserPasswordExpiryTimeComputed")
    if computed is not None:
        try:
            return filetime(int(computed))
        except ValueError:
            pass
    pso = text(attributes, "msDS-ResultantPSO")
    max_age = pso_max_age(pso) if pso else None
    if max_age is None:
        max_age = domain_max_age()
    if user.password_last_set is None or max_age <= 0:
        return None
    return user.password_last_set + timedelta(seconds=max_age)
