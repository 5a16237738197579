from django.utils.translation import gettext_lazy as _

from enrollment.apps import IdentityServiceConfig


class MailcodeConfig(IdentityServiceConfig):
    # Label "mailcode", not "email": a code to a private address, not the AD
    # mail and not Django's mail settings. The service's key is "email".
    name = "services.mailcode"
    label = "mailcode"
    service = "services.mailcode.service.MailCodeService"
    verbose_name = _("E-postkod")
