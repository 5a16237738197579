from django.utils.translation import gettext_lazy as _

from enrollment.apps import IdentityServiceConfig


class TotpConfig(IdentityServiceConfig):
    name = "services.totp"
    label = "totp"
    service = "services.totp.service.TotpService"
    verbose_name = _("Autentiseringsapp")

    def ready(self) -> None:
        from . import devices

        devices.connect_cascade()
