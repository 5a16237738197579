"""``{{ event.action|event_label }}`` and ``{{ when|local_time }}`` for the helpdesk's pages."""

from __future__ import annotations

from django import template
from django.utils import timezone
from django.utils.dateformat import format as date_format

from ..labels import event_label as _event_label

register = template.Library()


@register.filter
def event_label(action: str) -> str:
    return _event_label(action)


@register.filter
def local_time(value, with_seconds: bool = True) -> str:
    """The time in the portal's time zone, with the zone named (CET/CEST)."""
    if not value:
        return ""
    return date_format(
        timezone.localtime(value), "Y-m-d H:i:s T" if with_seconds else "Y-m-d H:i T"
    )
