"""Private e-mail addresses: reading what was typed, refusing the
organisation's own domains, and the masked form that pages show."""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator

from . import conf

MAX_INPUT_LENGTH = 254  # RFC 5321's limit on a path

# No "localhost" (Django's default allowlist): a code must leave the server.
_validate = EmailValidator(allowlist=[])


class AddressError(ValueError):
    """An address that cannot be used; ``code`` keys the message (messages.py)."""

    def __init__(self, code: str, **params) -> None:
        super().__init__(code)
        self.code = code
        self.params = params

    @property
    def message(self) -> str:
        from .messages import message

        return message(self.code, **self.params)


def normalize_address(text: str) -> str:
    """The address as it will be used: trimmed, the domain in lower case.
    Raises AddressError (address_empty, address_too_long, address_invalid)."""
    text = unicodedata.normalize("NFC", (text or "").strip())
    if text.lower().startswith("mailto:"):
        text = text[7:]
    if not text:
        raise AddressError("address_empty")
    if len(text) > MAX_INPUT_LENGTH:
        raise AddressError("address_too_long")
    if any(ch.isspace() for ch in text) or text.count("@") != 1:
        raise AddressError("address_invalid")
    local, domain = text.split("@")
    address = f"{local}@{domain.lower().rstrip('.')}"
    try:
        _validate(address)
    except ValidationError:
        raise AddressError("address_invalid") from None
    if "." not in domain:
        raise AddressError("address_invalid")
    return address


def domain_of(address: str) -> str:
    return address.rpartition("@")[2].lower().rstrip(".")


def own_domains(user=None) -> tuple[str, ...]:
    """The organisation's own mail domains: the directory's UPN suffixes, the
    domains of the user's UPN and AD mail, and ``MAILCODE_BLOCKED_DOMAINS``."""
    from identity.directory import DirectoryError, get_directory

    domains: set[str] = set(conf.blocked_domains())
    try:
        domains.update(d.lower() for d in get_directory().upn_suffixes())
    except DirectoryError:
        pass
    for value in (getattr(user, "upn", ""), getattr(user, "mail", "")):
        if value and "@" in value:
            domains.add(domain_of(value))
    return tuple(sorted(d for d in domains if d))


def check_not_own_domain(address: str, *, user=None) -> None:
    """Refuse an address at (or below) one of the organisation's own domains:
    a locked-out user may not reach that mailbox. Raises AddressError."""
    domain = domain_of(address)
    for own in own_domains(user):
        if domain == own or domain.endswith(f".{own}"):
            raise AddressError("address_own_domain", domain=own)


def address_hash(address: str) -> str:
    """The keyed hash of an address (``enrollment.crypto.pii_hash``): stored
    beside the encrypted address for lookups, and what the per-address limits
    count, so that no address sits in a lookup column or the throttle table."""
    from enrollment.crypto import pii_hash

    return pii_hash(address.casefold(), purpose="email")


def mask(address: str) -> str:
    """``anna.svensson@gmail.com`` -> ``a•••@g•••.com``: enough for the owner
    to recognise, too little to write to."""
    local, _, domain = address.rpartition("@")
    name, _, tld = domain.rpartition(".")
    return f"{local[:1]}•••@{name[:1]}•••.{tld}"


_DECOY_DOMAINS = ("gmail.com", "hotmail.com", "outlook.com", "yahoo.com", "icloud.com", "live.se")


def decoy_mask(username: str) -> str:
    """A plausible masked address, the same for the same name each time under
    every spelling of it, as an enrolled address is the same whichever name of
    its account is typed."""
    from enrollment.crypto import pii_hash
    from identity.protection import canonical_name

    digest = pii_hash(canonical_name(username), purpose="mailcode-decoy")
    letter = "abcdefghijklmnoprstuvy"[int(digest[:2], 16) % 22]
    domain = _DECOY_DOMAINS[int(digest[2:4], 16) % len(_DECOY_DOMAINS)]
    return mask(f"{letter}x@{domain}")
