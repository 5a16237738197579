from __future__ import annotations

from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _


class EnrollmentConfig(AppConfig):
    name = "enrollment"
    verbose_name = _("Registrering")

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the system checks)


class IdentityServiceConfig(AppConfig):
    """The AppConfig of an identity service app (``services/<name>/apps.py``).

    ``service`` is the dotted path of its ``IdentityService`` subclass. With the
    app in ``INSTALLED_APPS`` the service is on (weight 1) unless
    ``settings.IDENTITY_SERVICES`` lists the services explicitly; its
    ``urls.py``, if any, is served at the site root (``enrollment.urls``).
    """

    service: str = ""
    # Not a candidate itself when a service's apps.py imports it; each subclass
    # is (Django picks the one AppConfig marked default in apps.py).
    default = False

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        cls.default = cls.__dict__.get("default", True)


def service_apps() -> list[IdentityServiceConfig]:
    """The installed identity service apps, in ``INSTALLED_APPS`` order."""
    return [a for a in apps.get_app_configs() if isinstance(a, IdentityServiceConfig)]
