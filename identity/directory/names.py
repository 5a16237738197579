"""The forms of a user name people type: ``anna``, ``DOMAIN\\anna`` (the
Windows logon form, for the domain's NetBIOS name) and ``anna@example.se``
(UPN or e-mail). The directory backends look users up by the plain name,
UPN or mail; this turns the Windows form into the plain name."""

from __future__ import annotations

from django.conf import settings


def netbios_domain() -> str:
    """``LDAP_NETBIOS_DOMAIN``, else the first DC= label of ``LDAP_BASE_DN``
    (``DC=test,DC=local`` gives ``TEST``), which is what AD proposes by default."""
    configured = (getattr(settings, "LDAP_NETBIOS_DOMAIN", "") or "").strip()
    if configured:
        return configured
    for part in (getattr(settings, "LDAP_BASE_DN", "") or "").split(","):
        key, _, value = part.strip().partition("=")
        if key.strip().casefold() == "dc" and value.strip():
            return value.strip()
    return ""


def account_name(typed: str, *, domain: str | None = None) -> str:
    """``DOMAIN\\user`` becomes ``user`` when DOMAIN is this domain's NetBIOS
    name (in any case); every other input is returned as it is (another
    domain's user is then simply not found)."""
    typed = typed or ""
    prefix, sep, rest = typed.partition("\\")
    if not sep:
        return typed
    domain = netbios_domain() if domain is None else domain
    if domain and prefix.strip().casefold() == domain.casefold() and rest.strip():
        return rest.strip()
    return typed


def base_dn_suffix() -> str:
    """The DNS name of ``LDAP_BASE_DN`` (``DC=test,DC=local`` gives ``test.local``)."""
    labels = []
    for part in (getattr(settings, "LDAP_BASE_DN", "") or "").split(","):
        key, _, value = part.strip().partition("=")
        if key.strip().casefold() == "dc" and value.strip():
            labels.append(value.strip().casefold())
    return ".".join(labels)
