from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enrollment.base import IdentityService


class TotpService(IdentityService):
    """Autentiseringsapp: a six-digit code from an app (Microsoft/Google
    Authenticator, FreeOTP, ...) that holds a secret shared at enrolment (TOTP, RFC 6238)."""

    key = "totp"
    name = _("Autentiseringsapp")
    enroll_url_name = "totp_enroll"
    verify_url_name = "totp_verify"
    caller_check_label = _("Kontrollera en kod från autentiseringsappen")
    #: Stars when IDENTITY_SERVICES does not say: something the user has (a
    #: phone with the secret), like Mobilkod; below BankID and passkeys.
    default_weight = 1

    def masked(self, enrollment) -> str:
        """ "Autentiseringsapp, tillagd 2026-11-29": the secret is never shown."""
        when = timezone.localdate(enrollment.updated_at or enrollment.created_at)
        return _("Autentiseringsapp, tillagd %(date)s") % {"date": when.isoformat()}

    def check_caller(self, check):
        from .caller import check_caller

        return check_caller(check)

    def check(self) -> list:
        from .checks import check_totp

        return check_totp()
