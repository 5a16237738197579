"""Values the AD backend sends: user names it will look up, unicodePwd, and the
policy hints control."""

from __future__ import annotations

import unicodedata

from pyasn1.codec.ber import encoder
from pyasn1.type.namedtype import NamedType, NamedTypes
from pyasn1.type.univ import Integer, Sequence

#: Longer than any sAMAccountName (20), UPN or mail address worth a lookup.
MAX_IDENTIFIER_LENGTH = 256

# LDAP_SERVER_POLICY_HINTS_OID (Windows 2012 R2+) and its older draft
# (LDAP_SERVER_POLICY_HINTS_DEPRECATED_OID, 2008 R2): make an admin reset obey
# password history like a user's own change.
POLICY_HINTS_OID = "1.2.840.113556.1.4.2239"
POLICY_HINTS_OLD_OID = "1.2.840.113556.1.4.2066"


class _PolicyHintsValue(Sequence):
    componentType = NamedTypes(NamedType("flags", Integer()))


def policy_hints_value() -> bytes:
    """The control's value: BER SEQUENCE { INTEGER 1 } (30 03 02 01 01)."""
    value = _PolicyHintsValue()
    value["flags"] = 1  # LDAP_POLICY_HINT_ENFORCE_PASSWORD_HISTORY
    return encoder.encode(value)


def clean_identifier(value: str) -> str | None:
    """``value`` stripped if it can be a user name, else None (empty, too long,
    control characters, not encodable as UTF-8): refused without asking AD."""
    value = (value or "").strip() if isinstance(value, str) else ""
    if not value or len(value) > MAX_IDENTIFIER_LENGTH:
        return None
    if any(unicodedata.category(ch) in ("Cc", "Cs") for ch in value):
        return None
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return None
    return value


def sendable(password: str) -> bool:
    """True if ``password`` is a non-empty string AD can be sent (ldap3 refuses
    an empty one, and an empty simple bind would be an anonymous bind)."""
    if not isinstance(password, str) or not password:
        return False
    try:
        password.encode("utf-16-le")
    except UnicodeEncodeError:  # lone surrogates (bytes that were not UTF-8)
        return False
    return True


def encode_password(password: str) -> bytes:
    """The unicodePwd value: the password in double quotes, UTF-16-LE."""
    return f'"{password}"'.encode("utf-16-le")
