"""Enrollments in the admin: read-only and masked.

The encrypted value and its hash never leave the database. Removing an
enrollment needs a reason and tells the user, so it goes through the
helpdesk's page, not Django's delete.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from audit.admin import ReadOnlyModelAdmin
from audit.service import record

from .models import Enrollment, ResetPolicy
from .policy import PolicyError, parse_services, policy_problems
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


class ResetPolicyForm(forms.ModelForm):
    class Meta:
        model = ResetPolicy
        fields = [
            "name",
            "priority",
            "enabled",
            "group_dn",
            "ou_dn",
            "services",
            "stars_full",
            "stars_reset",
            "reset_allowed",
        ]

    def clean_services(self) -> str:
        value = (self.cleaned_data.get("services") or "").strip()
        try:
            parse_services(value)
        except PolicyError as exc:
            raise ValidationError(
                _(
                    "Skriv tjänsterna som tjänst:stjärnor[:required], "
                    "t.ex. bankid:2,sms:1 (%(error)s)."
                )
                % {"error": exc}
            ) from None
        return value

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        rule = ResetPolicy(**{f: cleaned.get(f) for f in self.Meta.fields}).as_rule()
        problems = policy_problems(rule)
        if problems:
            raise ValidationError(
                _("Policyn går inte att använda: %(problems)s.") % {"problems": "; ".join(problems)}
            )
        return cleaned


@admin.register(ResetPolicy)
class ResetPolicyAdmin(admin.ModelAdmin):
    """Per-group policies: portal admins only (the model's permissions, given
    to the "Portal admins" group); every change is written to the audit trail
    in the same transaction."""

    form = ResetPolicyForm
    list_display = [
        "name",
        "priority",
        "enabled",
        "applies_to",
        "services",
        "stars_full",
        "stars_reset",
        "reset_allowed",
    ]
    list_filter = ["enabled", "reset_allowed"]
    search_fields = ["name", "group_dn", "ou_dn"]
    ordering = ["priority", "name"]
    actions = None  # no bulk delete: each deletion is audited on its own
    show_facets = admin.ShowFacets.NEVER

    @admin.display(description=_("gäller för"))
    def applies_to(self, policy: ResetPolicy) -> str:
        return " + ".join(v for v in (policy.group_dn, policy.ou_dn) if v)

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            before = ResetPolicy.objects.get(pk=obj.pk).snapshot() if change else None
            super().save_model(request, obj, form, change)
            record(
                action="policy.changed" if change else "policy.created",
                result="success",
                request=request,
                subject=obj.name,
                details={"policy": obj.pk, "before": before, "after": obj.snapshot()},
            )

    def delete_model(self, request, obj):
        with transaction.atomic():
            record(
                action="policy.deleted",
                result="success",
                request=request,
                subject=obj.name,
                details={"policy": obj.pk, "before": obj.snapshot()},
            )
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)
