"""The one function every app records an event with."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from django.utils import timezone

from .models import AuditEvent

logger = logging.getLogger("portal.audit")

# Keys whose values never enter the audit trail, whatever a caller passes.
_SECRET_KEYS = {
    "password",
    "old_password",
    "new_password",
    "code",
    "otp",
    "token",
    "secret",
    "personal_number",
    "personnummer",
    "qr_start_secret",
    "phone",
    "number",
}


def _clean(details: Mapping[str, Any] | None) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    for key, value in (details or {}).items():
        if key.lower() in _SECRET_KEYS:
            clean[key] = "[removed]"
        elif isinstance(value, Mapping):
            clean[key] = _clean(value)
        elif isinstance(value, str | int | float | bool) or value is None:
            clean[key] = value if not isinstance(value, str) else value[:1000]
        elif isinstance(value, list | tuple):
            clean[key] = [v if isinstance(v, str | int | float | bool) else str(v) for v in value]
        else:
            clean[key] = str(value)[:1000]
    return clean


def client_ip(request) -> str | None:
    """The client's address, honouring ``TRUSTED_PROXY_COUNT`` reverse proxies."""
    from django.conf import settings

    if request is None:
        return None
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies:
        forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [p for p in forwarded if p]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR") or None


def record(
    *,
    action: str,
    result: str,
    request=None,
    actor: str = "",
    subject_guid: str = "",
    subject: str = "",
    details: Mapping[str, Any] | None = None,
    ip_address: str | None = None,
) -> AuditEvent:
    """Append one event to the audit trail.

    ``details`` must not hold secrets; known secret keys are replaced anyway.
    With a ``request``, the IP address, user agent and (if logged in) the actor
    are taken from it.
    """
    user_agent = ""
    if request is not None:
        ip_address = ip_address or client_ip(request)
        user_agent = request.META.get("HTTP_USER_AGENT", "")[:512]
        user = getattr(request, "user", None)
        if not actor and user is not None and user.is_authenticated:
            actor = user.get_username()
    event = AuditEvent.objects.create(
        action=action[:64],
        result=result,
        actor=actor[:256],
        subject_guid=subject_guid[:36],
        subject=subject[:256],
        ip_address=ip_address,
        user_agent=user_agent,
        details=_clean(details),
    )
    logger.info("audit action=%s result=%s subject=%s", action, result, subject_guid or "-")
    return event


def prune_audit(*, older_than_days: int) -> int:
    """Remove events older than the retention period; returns how many."""
    cutoff = timezone.now() - timedelta(days=older_than_days)
    count, _ = AuditEvent.objects.filter(created_at__lt=cutoff)._prune()
    return count
