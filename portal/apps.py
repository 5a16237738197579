from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Självserviceportalen"
    default = True

    def ready(self):
        from . import (
            branding,  # noqa: F401  (registers the brand's system check)
            checks,  # noqa: F401 - registers the system checks
        )


class PortalAdminConfig(admin_apps.AdminConfig):
    """Django's admin with the helpdesk's site (``portal.admin.PortalAdminSite``)."""

    default = False
    default_site = "portal.admin.PortalAdminSite"
