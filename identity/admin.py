"""The portal's local user rows in the admin: read-only.

They mirror the directory (rights come from AD groups at every login), so
there is nothing to edit here; only portal admins may look.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import admin as auth_admin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from audit.admin import ReadOnlyModelAdmin

from .models import User

# Django's group admin, listed on the index for portal admins (who may only view).
admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(auth_admin.GroupAdmin):
    pass


@admin.register(User)
class UserAdmin(ReadOnlyModelAdmin):
    list_display = ["username", "display_name", "email", "is_staff", "role_names", "last_login"]
    list_filter = ["is_staff", "is_active", "groups"]
    search_fields = ["username", "display_name", "email", "=directory_guid"]
    fields = [
        "username",
        "display_name",
        "email",
        "directory_guid",
        "is_active",
        "is_staff",
        "is_superuser",
        "role_names",
        "last_login",
        "date_joined",
    ]
    readonly_fields = fields
    show_facets = admin.ShowFacets.NEVER

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description=_("roller"))
    def role_names(self, user: User) -> str:
        return ", ".join(sorted(g.name for g in user.groups.all())) or "–"
