"""The audit trail in the admin: read-only, filterable, exportable as CSV.

Nobody (not even a superuser) adds, changes or deletes events here; they go
only through ``audit.record`` and the retention job. Personal numbers that may
have slipped into a text (a phone number typed as a username) are masked on
every page and in the export.
"""

from __future__ import annotations

import csv
import ipaddress
import json
import re

from django import forms
from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpResponseBadRequest, StreamingHttpResponse
from django.urls import path
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .labels import event_label
from .models import AuditEvent
from .service import record
from .templatetags.audit_labels import local_time

# A free-standing number of nine digits or more, single spaces or dashes
# allowed between them (phone numbers, personnummer; not dates, times or
# GUIDs): all but the last two digits are masked.
_LONG_NUMBER = re.compile(r"(?<![\w+-])\+?\d(?:[ -]?\d){8,}(?![\w:-])")
# Spreadsheets run a cell that starts with one of these as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _mask_number(match: re.Match) -> str:
    text = match.group(0)
    digits = sum(c.isdigit() for c in text)
    seen = 0
    out = []
    for c in text:
        if c.isdigit():
            seen += 1
            out.append(c if seen > digits - 2 else "*")
        else:
            out.append(c)
    return "".join(out)


def mask_pii(text: str) -> str:
    return _LONG_NUMBER.sub(_mask_number, text or "")


def masked_details(event: AuditEvent) -> str:
    return mask_pii(json.dumps(event.details or {}, ensure_ascii=False, sort_keys=True))


def _csv_cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


class _Echo:
    def write(self, value):
        return value


class ReadOnlyModelAdmin(admin.ModelAdmin):
    """An admin that shows and never changes: what the portal's services
    write (audit events, enrollments) is not edited by hand."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


class InputFilter(admin.SimpleListFilter):
    """A list filter with a text box instead of links."""

    template = "admin/audit/input_filter.html"

    def lookups(self, request, model_admin):
        return [("", "")]  # one placeholder: the filter shows

    def get_facet_counts(self, pk_attname, filtered_qs):
        return {}

    def choices(self, changelist):
        # The other active filters, kept as hidden inputs of the form.
        params = changelist.get_filters_params()
        yield {
            "query_parts": [
                (key, value)
                for key, values in params.items()
                if key != self.parameter_name
                for value in (values if isinstance(values, list) else [values])
            ]
        }


class SubjectFilter(InputFilter):
    title = _("användare")
    parameter_name = "subject"

    def queryset(self, request, queryset):
        value = (self.value() or "").strip()
        if value:
            return queryset.filter(Q(subject__iexact=value) | Q(subject_guid__iexact=value))
        return queryset


class ActorFilter(InputFilter):
    title = _("utförd av")
    parameter_name = "actor"

    def queryset(self, request, queryset):
        value = (self.value() or "").strip()
        return queryset.filter(actor__iexact=value) if value else queryset


class IpFilter(InputFilter):
    title = _("IP-adress")
    parameter_name = "ip"

    def queryset(self, request, queryset):
        value = (self.value() or "").strip()
        if not value:
            return queryset
        try:
            address = ipaddress.ip_address(value)
        except ValueError:
            return queryset.none()
        return queryset.filter(ip_address=str(address))


class ActionFilter(admin.SimpleListFilter):
    title = _("händelse")
    parameter_name = "action"

    def lookups(self, request, model_admin):
        actions = AuditEvent.objects.order_by("action").values_list("action", flat=True)
        return [(a, event_label(a)) for a in actions.distinct()]

    def queryset(self, request, queryset):
        return queryset.filter(action=self.value()) if self.value() else queryset


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyModelAdmin):
    list_display = [
        "created_shown",
        "action_shown",
        "result",
        "actor_shown",
        "subject_shown",
        "ip_address",
    ]
    list_filter = [
        ActionFilter,
        "result",
        ("created_at", admin.DateFieldListFilter),
        SubjectFilter,
        ActorFilter,
        IpFilter,
    ]
    date_hierarchy = "created_at"
    search_fields = ["subject", "actor", "action", "=subject_guid"]
    fields = [
        "created_shown",
        "action_shown",
        "result",
        "actor_shown",
        "subject_shown",
        "subject_guid",
        "ip_address",
        "user_agent_shown",
        "details_shown",
    ]
    readonly_fields = fields
    list_per_page = 100
    show_facets = admin.ShowFacets.NEVER
    actions = ["export_selected"]

    @admin.display(description=_("tid"), ordering="created_at")
    def created_shown(self, event: AuditEvent) -> str:
        # Local time with the zone named, as in the page's title and everywhere else.
        return local_time(event.created_at)

    @admin.display(description=_("händelse"), ordering="action")
    def action_shown(self, event: AuditEvent) -> str:
        return format_html(
            '{} <code class="event-code">{}</code>', event_label(event.action), event.action
        )

    @admin.display(description=_("utförd av"), ordering="actor")
    def actor_shown(self, event: AuditEvent) -> str:
        return mask_pii(event.actor)

    @admin.display(description=_("användare"), ordering="subject")
    def subject_shown(self, event: AuditEvent) -> str:
        return mask_pii(event.subject)

    @admin.display(description=_("webbläsare"))
    def user_agent_shown(self, event: AuditEvent) -> str:
        return mask_pii(event.user_agent)

    @admin.display(description=_("detaljer"))
    def details_shown(self, event: AuditEvent) -> str:
        return format_html("<pre>{}</pre>", masked_details(event))

    # --- the event's name (its subject may hold a number): masked everywhere --
    def action_checkbox(self, obj):
        checkbox = forms.CheckboxInput(
            {
                "class": "action-select",
                "aria-label": format_html(
                    _("Select this object for an action - {}"), mask_pii(str(obj))
                ),
            },
            lambda value: False,
        )
        return checkbox.render(helpers.ACTION_CHECKBOX_NAME, str(obj.pk))

    def _masked_name(self, object_id) -> str:
        obj = self.get_object_or_none(object_id)
        return mask_pii(str(obj)) if obj is not None else ""

    def get_object_or_none(self, object_id):
        return AuditEvent.objects.filter(pk=object_id).first() if str(object_id).isdigit() else None

    def change_view(self, request, object_id, form_url="", extra_context=None):
        name = self._masked_name(object_id)
        extra = {"subtitle": name, "masked_name": name, **(extra_context or {})}
        return super().change_view(request, object_id, form_url, extra)

    def history_view(self, request, object_id, extra_context=None):
        name = self._masked_name(object_id)
        extra = {
            "title": _("Ändringshistorik: %s") % name,
            "masked_name": name,
            **(extra_context or {}),
        }
        return super().history_view(request, object_id, extra)

    # --- CSV export -------------------------------------------------------
    def get_urls(self):
        export = path(
            "export/",
            self.admin_site.admin_view(self.export_view),
            name="audit_auditevent_export",
        )
        return [export, *super().get_urls()]

    def export_view(self, request):
        """The events the change list shows with the same filters, as CSV."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        try:
            queryset = self.get_changelist_instance(request).get_queryset(request)
        except IncorrectLookupParameters:
            return HttpResponseBadRequest(_("Okända filter."))
        return self._csv_response(request, queryset, scope="filtered")

    @admin.action(description=_("Exportera markerade händelser som CSV"), permissions=["view"])
    def export_selected(self, request, queryset):
        return self._csv_response(request, queryset, scope="selected")

    def _csv_response(self, request, queryset, *, scope: str):
        filters = {k: v for k, v in request.GET.items() if k not in {"p", "o"}}
        record(
            action="audit.exported",
            result="success",
            request=request,
            details={"scope": scope, "rows": queryset.count(), "filters": filters},
        )
        writer = csv.writer(_Echo())
        header = [
            "created_at",
            "action",
            "result",
            "actor",
            "subject",
            "subject_guid",
            "ip_address",
            "user_agent",
            "details",
        ]

        def rows():
            yield "\ufeff"  # a BOM: Excel then reads the file as UTF-8
            yield writer.writerow(header)
            for event in queryset.order_by("-created_at", "-id").iterator(chunk_size=2000):
                yield writer.writerow(
                    [
                        _csv_cell(v)
                        for v in (
                            timezone.localtime(event.created_at).isoformat(),
                            event.action,
                            event.result,
                            mask_pii(event.actor),
                            mask_pii(event.subject),
                            event.subject_guid,
                            event.ip_address,
                            mask_pii(event.user_agent),
                            masked_details(event),
                        )
                    ]
                )

        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.csv"'
        return response
