"""The helpdesk's model in the admin: when each user was last reminded to enrol."""

from __future__ import annotations

from django.contrib import admin

from audit.admin import ReadOnlyModelAdmin

from .models import EnrollmentReminder


@admin.register(EnrollmentReminder)
class EnrollmentReminderAdmin(ReadOnlyModelAdmin):
    list_display = ["username", "sent_at", "times_sent"]
    search_fields = ["username", "=user_guid"]
    fields = ["username", "user_guid", "sent_at", "times_sent"]
    readonly_fields = fields
    date_hierarchy = "sent_at"
