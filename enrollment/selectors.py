"""Queries on enrolments that other apps need (read-only; changes go through
``enrollment.services``)."""

from __future__ import annotations

from .models import Enrollment


def enrolled_keys(user_guid: str) -> set[str]:
    """The keys of the services the user has enrolled."""
    return set(Enrollment.objects.filter(user_guid=user_guid).values_list("service", flat=True))


def has_enrollment(*, user_guid: str, service: str) -> bool:
    return Enrollment.objects.filter(user_guid=user_guid, service=service).exists()


def get_enrollment(*, user_guid: str, service: str) -> Enrollment | None:
    return Enrollment.objects.filter(user_guid=user_guid, service=service).first()
