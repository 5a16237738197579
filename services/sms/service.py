from __future__ import annotations

from functools import partial

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from enrollment.base import IdentityService


class SmsService(IdentityService):
    key = "sms"
    default_weight = 1
    name = _("Mobilkod")
    enroll_url_name = "sms_enroll"
    verify_url_name = "sms_verify"
    caller_check_label = _("Skicka en kod med Mobilkod")

    def queue_notice(
        self, *, user_guid: str, text: str, kind: str, replaced_value: str = ""
    ) -> bool:
        from .tasks import send_sms_notice

        transaction.on_commit(
            partial(
                send_sms_notice.delay, user_guid, text, kind=kind, protected_value=replaced_value
            )
        )
        return True

    def check_caller(self, check):
        from .caller import check_caller

        return check_caller(check)

    def check(self) -> list:
        from .checks import check_sms_backend

        return check_sms_backend()
