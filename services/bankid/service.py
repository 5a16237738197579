from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from enrollment.base import IdentityService


class BankIDService(IdentityService):
    key = "bankid"
    default_weight = 2
    name = _("Mobilt BankID")
    enroll_url_name = "bankid_enroll"
    verify_url_name = "bankid_verify"
    caller_check_label = _("Identifiera med Mobilt BankID")

    def check_caller(self, check):
        from .caller import check_caller

        return check_caller(check)

    def deploy_check(self) -> list:
        from .checks import check_bankid_binding

        return check_bankid_binding()
