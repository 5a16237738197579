"""Enrollments in the admin: read-only and masked.

The encrypted value and its hash never leave the database. Removing an
enrollment needs a reason and tells the user, so it goes through the
helpdesk's page, not Django's delete.
"""

from __future__ import annotations

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from audit.admin import ReadOnlyModelAdmin

from .models import Enrollment
from .registry import get_service


@admin.register(Enrollment)
class EnrollmentAdmin(ReadOnlyModelAdmin):
    list_display = [
        "username",
        "service_name",
        "shown_as",
        "created_at",
        "last_used_at",
        "user_link",
    ]
    list_filter = ["service", ("created_at", admin.DateFieldListFilter)]
    search_fields = ["username", "=user_guid", "display"]
    # Never protected_value or value_hash.
    fields = [
        "username",
        "user_guid",
        "service_name",
        "shown_as",
        "created_at",
        "updated_at",
        "last_used_at",
        "user_link",
    ]
    readonly_fields = fields
    show_facets = admin.ShowFacets.NEVER

    def get_queryset(self, request):
        return super().get_queryset(request).defer("protected_value", "value_hash")

    @admin.display(description=_("identitetstjänst"), ordering="service")
    def service_name(self, enrollment: Enrollment) -> str:
        service = get_service(enrollment.service)
        return str(service.name) if service else enrollment.service

    @admin.display(description=_("visas som"), ordering="display")
    def shown_as(self, enrollment: Enrollment) -> str:
        service = get_service(enrollment.service)
        return service.masked(enrollment) if service else enrollment.display

    @admin.display(description=_("helpdesk"))
    def user_link(self, enrollment: Enrollment) -> str:
        url = reverse("admin:helpdesk_user", kwargs={"guid": enrollment.user_guid})
        return format_html(
            '<a href="{}">{}<span class="visually-hidden"> {}</span></a>',
            url,
            _("Visa användaren"),
            enrollment.username,
        )
