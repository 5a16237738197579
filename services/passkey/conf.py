"""Passkey settings: ``DEFAULTS`` holds each one's default (the only place it is
written); the environment overrides them through portal/settings.py."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings

DEFAULTS = {
    # The relying party: the domain the keys are bound to. Empty: the first
    # host name in ALLOWED_HOSTS that can be one (not an IP address or a wildcard).
    "WEBAUTHN_RP_ID": "",
    # The name the browser shows; empty: BRAND_ORGANISATION, else PORTAL_NAME.
    "WEBAUTHN_RP_NAME": "",
    # The origins the ceremonies may run on; empty: https://<RP ID>.
    "WEBAUTHN_ORIGINS": [],
    # "none" (the default: no make or model is asked for), "indirect" or "direct".
    "WEBAUTHN_ATTESTATION": "none",
    # How long a challenge may be answered, in seconds.
    "WEBAUTHN_CHALLENGE_SECONDS": 180,
    # Keys one user may have.
    "WEBAUTHN_MAX_KEYS": 10,
}

ATTESTATION_CHOICES = ("none", "indirect", "direct")


def _get(name: str):
    return getattr(settings, name, DEFAULTS[name])


def _host_only(host: str) -> str:
    return host.strip().lower().lstrip(".")


def _is_ip(host: str) -> bool:
    import ipaddress

    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def rp_id() -> str:
    value = str(_get("WEBAUTHN_RP_ID") or "").strip().lower()
    if value:
        return value
    for host in getattr(settings, "ALLOWED_HOSTS", []):
        host = _host_only(host)
        if host and host != "*" and not _is_ip(host):
            return host
    return ""


def rp_name() -> str:
    value = str(_get("WEBAUTHN_RP_NAME") or "").strip()
    if value:
        return value
    return (
        str(getattr(settings, "BRAND_ORGANISATION", "") or "").strip()
        or str(getattr(settings, "PORTAL_NAME", "") or "").strip()
        or "Portal"
    )


def origins() -> list[str]:
    value = _get("WEBAUTHN_ORIGINS")
    if isinstance(value, str):
        value = [v for v in value.split(",")]
    found = [str(v).strip().rstrip("/") for v in (value or []) if str(v).strip()]
    if found:
        return found
    return [f"https://{rp_id()}"] if rp_id() else []


def origin_host(origin: str) -> str:
    return (urlsplit(origin).hostname or "").lower()


def attestation() -> str:
    return str(_get("WEBAUTHN_ATTESTATION") or "none").strip().lower()


def challenge_seconds() -> int:
    return max(30, int(_get("WEBAUTHN_CHALLENGE_SECONDS")))


def max_keys() -> int:
    return max(1, int(_get("WEBAUTHN_MAX_KEYS")))
