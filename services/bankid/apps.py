from django.utils.translation import gettext_lazy as _

from enrollment.apps import IdentityServiceConfig


class BankIDConfig(IdentityServiceConfig):
    name = "services.bankid"
    label = "bankid"
    service = "services.bankid.service.BankIDService"
    verbose_name = _("Mobilt BankID")
