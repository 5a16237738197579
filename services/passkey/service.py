from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from enrollment.base import IdentityService


class PasskeyService(IdentityService):
    key = "passkey"
    name = _("Passkey eller säkerhetsnyckel")
    enroll_url_name = "passkey_manage"
    verify_url_name = "passkey_verify"
    # Phishing-resistant and bound to a device: worth as much as BankID
    # (IDENTITY_SERVICES sets otherwise). No caller check: a passkey cannot
    # be read over the phone.
    default_weight = 2

    def masked(self, enrollment) -> str:
        from .keys import describe_keys

        return describe_keys(enrollment.user_guid) or enrollment.display

    def check(self) -> list:
        from .checks import check_webauthn_settings

        return check_webauthn_settings()
