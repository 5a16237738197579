from django.utils.translation import gettext_lazy as _

from enrollment.apps import IdentityServiceConfig


class PasskeyConfig(IdentityServiceConfig):
    name = "services.passkey"
    label = "passkey"
    service = "services.passkey.service.PasskeyService"
    verbose_name = _("Passkey eller säkerhetsnyckel")
