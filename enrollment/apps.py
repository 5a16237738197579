from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnrollmentConfig(AppConfig):
    name = "enrollment"
    verbose_name = _("Registrering")

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the system checks)
