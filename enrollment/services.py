"""Saving and removing enrollments. Each writes its own audit event."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from audit.service import client_ip, record

from .models import Enrollment


@transaction.atomic
def save_enrollment(
    *,
    request,
    user_guid: str,
    username: str,
    service: str,
    display: str,
    protected_value: str = "",
    value_hash: str = "",
    ip_address: str | None = None,
) -> Enrollment:
    """Create or replace the user's enrollment of ``service``, audit it, and
    tell the user on their other channels (enrollment.notify)."""
    from .notify import queue_enrollment_notices

    previous = (
        Enrollment.objects.filter(user_guid=user_guid, service=service)
        .values_list("protected_value", flat=True)
        .first()
    )
    enrollment, created = Enrollment.objects.update_or_create(
        user_guid=user_guid,
        service=service,
        defaults={
            "username": username,
            "display": display,
            "protected_value": protected_value,
            "value_hash": value_hash,
        },
    )
    record(
        action="enrollment.created" if created else "enrollment.changed",
        result="success",
        request=request,
        subject=username,
        subject_guid=user_guid,
        details={"service": service, "display": display},
        ip_address=ip_address,
    )
    queue_enrollment_notices(
        user_guid=user_guid,
        service=service,
        created=created,
        ip=ip_address or (client_ip(request) if request is not None else "") or "",
        replaced_value=previous if previous and previous != protected_value else "",
        username=username,
    )
    return enrollment


@transaction.atomic
def remove_enrollment(*, request, enrollment: Enrollment, reason: str, actor: str = "") -> None:
    record(
        action="enrollment.removed",
        result="success",
        request=request,
        actor=actor,
        subject=enrollment.username,
        subject_guid=enrollment.user_guid,
        details={"service": enrollment.service, "reason": reason[:500]},
    )
    enrollment.delete()


@transaction.atomic
def remove_own_enrollment(*, request, enrollment: Enrollment) -> None:
    """The user removes one of their own services: audited, and told on every
    channel (the AD mail, the other services and the removed value itself,
    e.g. the private address), as a change is."""
    from .notify import queue_enrollment_notices

    removed_value = enrollment.protected_value
    remove_enrollment(request=request, enrollment=enrollment, reason="user")
    queue_enrollment_notices(
        user_guid=enrollment.user_guid,
        service=enrollment.service,
        created=False,
        removed=True,
        ip=(client_ip(request) if request is not None else "") or "",
        replaced_value=removed_value,
        username=enrollment.username,
    )


def touch_enrollment(*, user_guid: str, service: str) -> None:
    Enrollment.objects.filter(user_guid=user_guid, service=service).update(
        last_used_at=timezone.now()
    )


def enrollment_for(*, user_guid: str, service: str) -> Enrollment | None:
    return Enrollment.objects.filter(user_guid=user_guid, service=service).first()
