"""Autentiseringsapp (TOTP) settings: ``DEFAULTS`` holds each one's default (the
only place it is written); the environment overrides them through portal/settings.py.

django-otp's own settings still apply to the device it verifies:
``OTP_TOTP_THROTTLE_FACTOR`` (seconds of the first wait after a wrong code,
doubled after each further one; default 1) and ``OTP_TOTP_SYNC`` (follow the
phone's clock drift; default on)."""

from __future__ import annotations

from django.conf import settings

DEFAULTS = {
    # The name the authenticator app shows above the code; "" = the brand's
    # organisation name (BRAND_ORGANISATION), else PORTAL_NAME.
    "TOTP_ISSUER": "",
    # Time steps (of 30 s) a code may be early or late: 1 accepts the previous,
    # the current and the next code.
    "TOTP_TOLERANCE": 1,
    # How long a QR code shown for enrolment stays valid before it is confirmed.
    "TOTP_ENROLL_SECONDS": 15 * 60,
}

#: Steps beyond the tolerance in which a right code is told apart as too old
#: (or too new: the phone's clock is wrong) rather than simply wrong.
DIAGNOSE_STEPS = 10
#: The secret's size in bytes (RFC 4226 recommends 160 bits).
KEY_BYTES = 20
DIGITS = 6
STEP = 30


def _get(name: str):
    return getattr(settings, name, DEFAULTS[name])


def issuer() -> str:
    """Who the app says the code is for: TOTP_ISSUER, else the brand's name,
    else the portal's. A colon would split the otpauth label, so none."""
    name = (
        str(_get("TOTP_ISSUER") or "").strip()
        or str(getattr(settings, "BRAND_ORGANISATION", "") or "").strip()
        or str(getattr(settings, "PORTAL_NAME", "") or "").strip()
    )
    return name.replace(":", "").strip()


def tolerance() -> int:
    return max(0, int(_get("TOTP_TOLERANCE")))


def enroll_seconds() -> int:
    return max(60, int(_get("TOTP_ENROLL_SECONDS")))
