"""System checks of passkeys, run through ``PasskeyService.check`` by the
enrollment app's check of every configured service.

A browser only lets a page use keys of an RP ID that is its own host or a
registrable suffix of it, and signs the page's origin into every answer: an RP
ID or origin that does not fit the hosts the portal answers on would make
every passkey ceremony fail in the browser, so it is refused at start-up.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error

from . import conf


def _is_suffix(host: str, rp_id: str) -> bool:
    return host == rp_id or host.endswith("." + rp_id)


def _host_allowed(host: str, allowed: list[str]) -> bool:
    for entry in allowed:
        entry = entry.strip().lower()
        if entry == "*":
            return True
        if entry.startswith(".") and (host == entry[1:] or host.endswith(entry)):
            return True
        if host == entry:
            return True
    return False


def _rp_fits_allowed(rp_id: str, allowed: list[str]) -> bool:
    for entry in allowed:
        entry = entry.strip().lower()
        if entry == "*":
            return True
        if _is_suffix(entry.lstrip("."), rp_id):
            return True
    return False


def check_webauthn_settings(app_configs=None, **kwargs) -> list:
    problems: list = []
    rp_id = conf.rp_id()
    allowed = list(getattr(settings, "ALLOWED_HOSTS", []))
    if not rp_id:
        return [
            Error(
                "WEBAUTHN_RP_ID is not set and ALLOWED_HOSTS names no host that can be one.",
                hint="Set WEBAUTHN_RP_ID to the portal's domain, e.g. portal.example.se "
                "(an IP address cannot be an RP ID).",
                id="passkey.E001",
            )
        ]
    if conf._is_ip(rp_id) or ("." not in rp_id and rp_id != "localhost"):
        problems.append(
            Error(
                f"WEBAUTHN_RP_ID={rp_id!r} cannot be an RP ID: it must be a domain name "
                "(localhost for development), not an IP address or a top-level domain.",
                hint="Set WEBAUTHN_RP_ID to the portal's domain, e.g. portal.example.se.",
                id="passkey.E002",
            )
        )
    elif not _rp_fits_allowed(rp_id, allowed):
        problems.append(
            Error(
                f"WEBAUTHN_RP_ID={rp_id!r} is not a host in ALLOWED_HOSTS or a registrable "
                f"suffix of one ({', '.join(allowed) or 'none'}); browsers would refuse "
                "every passkey.",
                hint="Use the portal's host name (portal.example.se) or its parent domain "
                "(example.se) as WEBAUTHN_RP_ID.",
                id="passkey.E003",
            )
        )
    for origin in conf.origins():
        parts = urlsplit(origin)
        host = (parts.hostname or "").lower()
        local = host == "localhost"
        if parts.scheme != "https" and not (parts.scheme == "http" and local):
            problems.append(
                Error(
                    f"WEBAUTHN_ORIGINS: {origin!r} is not an https:// origin; browsers "
                    "offer passkeys only on https (and http://localhost for development).",
                    id="passkey.E004",
                )
            )
            continue
        if parts.path or parts.query or parts.fragment:
            problems.append(
                Error(
                    f"WEBAUTHN_ORIGINS: {origin!r} is not an origin (scheme://host[:port], "
                    "no path).",
                    id="passkey.E005",
                )
            )
        if not _is_suffix(host, rp_id):
            problems.append(
                Error(
                    f"WEBAUTHN_ORIGINS: the host of {origin!r} is not {rp_id!r} or a "
                    "subdomain of it (WEBAUTHN_RP_ID).",
                    id="passkey.E006",
                )
            )
        elif not _host_allowed(host, allowed):
            problems.append(
                Error(
                    f"WEBAUTHN_ORIGINS: the host of {origin!r} is not in ALLOWED_HOSTS; "
                    "the portal would not answer there.",
                    id="passkey.E007",
                )
            )
    if conf.attestation() not in conf.ATTESTATION_CHOICES:
        problems.append(
            Error(
                f"WEBAUTHN_ATTESTATION={conf.attestation()!r}: use one of "
                f"{', '.join(conf.ATTESTATION_CHOICES)}.",
                id="passkey.E008",
            )
        )
    return problems
