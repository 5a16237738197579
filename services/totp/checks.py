"""System checks of the authenticator app, run through ``TotpService.check``."""

from __future__ import annotations

from django.apps import apps
from django.conf import settings
from django.core.checks import Error


def check_totp(app_configs=None, **kwargs) -> list:
    from . import conf

    problems: list = []
    if not apps.is_installed("django_otp.plugins.otp_totp"):
        problems.append(
            Error(
                "The authenticator app needs django-otp's TOTP plugin.",
                hint='Add "django_otp" and "django_otp.plugins.otp_totp" to INSTALLED_APPS.',
                id="totp.E001",
            )
        )
    try:
        tolerance = int(getattr(settings, "TOTP_TOLERANCE", conf.DEFAULTS["TOTP_TOLERANCE"]))
    except (TypeError, ValueError):
        tolerance = -1
    if not 0 <= tolerance <= 2:
        problems.append(
            Error(
                f"TOTP_TOLERANCE={tolerance!r}: it must be 0, 1 or 2 time steps.",
                hint="Each step more accepts codes 30 s older and newer: more guesses hit.",
                id="totp.E002",
            )
        )
    if not conf.issuer():
        problems.append(
            Error(
                "The authenticator app has no issuer name to show.",
                hint="Set TOTP_ISSUER, BRAND_ORGANISATION or PORTAL_NAME.",
                id="totp.E003",
            )
        )
    return problems
