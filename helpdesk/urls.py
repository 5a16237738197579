"""The helpdesk's pages, mounted by the admin site (``portal.admin``) under
``admin/helpdesk/`` in the ``admin`` namespace; each wrapped by ``admin_view``."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from . import views


def routes() -> list[tuple]:
    return [
        ("helpdesk/search/", views.find_user, "helpdesk_find"),
        ("helpdesk/coverage/", views.coverage_view, "helpdesk_coverage"),
        ("helpdesk/user/<str:guid>/", views.user_detail, "helpdesk_user"),
        ("helpdesk/user/<str:guid>/unlock/", views.unlock, "helpdesk_unlock"),
        ("helpdesk/user/<str:guid>/hold/clear/", views.clear_hold, "helpdesk_clear_hold"),
        (
            "helpdesk/user/<str:guid>/enrollment/<int:pk>/remove/",
            views.remove_enrollment,
            "helpdesk_remove_enrollment",
        ),
        (
            "helpdesk/user/<str:guid>/verify/<slug:method>/",
            views.verify_caller,
            "helpdesk_verify",
        ),
    ]


def menu(request) -> list[dict]:
    """The helpdesk's entries in the admin's app list (index page and sidebar)."""
    entries = [
        ("helpdesk.helpdesk_find_user", _("Sök användare"), "helpdesk_find", "finduser"),
        ("helpdesk.view_coverage", _("Registreringsgrad"), "helpdesk_coverage", "coverage"),
    ]
    return [
        {
            "name": name,
            "object_name": object_name,
            "admin_url": reverse(f"admin:{url_name}"),
            "add_url": None,
            "view_only": True,
            "perms": {"view": True},
        }
        for perm, name, url_name, object_name in entries
        if request.user.has_perm(perm)
    ]
