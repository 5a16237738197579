from django.utils.translation import gettext_lazy as _

from enrollment.apps import IdentityServiceConfig


class SmsConfig(IdentityServiceConfig):
    name = "services.sms"
    label = "sms"
    service = "services.sms.service.SmsService"
    verbose_name = _("Mobilkod")
