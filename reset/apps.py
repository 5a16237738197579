from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResetConfig(AppConfig):
    name = "reset"
    verbose_name = _("Nytt lösenord")
