from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from enrollment.base import IdentityService


class SmsService(IdentityService):
    key = "sms"
    name = _("Mobilkod")
    enroll_url_name = "sms_enroll"
    verify_url_name = "sms_verify"
