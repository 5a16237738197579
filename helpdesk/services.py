"""What the helpdesk does to a user: look them up, unlock, remove an enrollment.

Each action writes its own audit row (``helpdesk.*``; removal through
``enrollment.services.remove_enrollment``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from django.urls import reverse

from audit.models import AuditEvent
from audit.service import record
from enrollment.models import Enrollment
from enrollment.notify import not_me_link
from enrollment.policy import Policy, policies_for, policy_for
from enrollment.registry import get_service
from enrollment.services import remove_enrollment
from enrollment.stars import StarMeter, star_meter
from identity.directory import DirectoryError, DirectoryUser, get_directory
from identity.directory.base import UserNotFound

from . import conf as helpdesk_conf
from .mail import send_template_mail

RECENT_EVENTS = 25


@dataclass(frozen=True)
class EnrollmentRow:
    enrollment: Enrollment
    service_name: str
    stars: int

    @property
    def pk(self) -> int:
        return self.enrollment.pk

    @property
    def display(self) -> str:
        # How the service shows it masked (IdentityService.masked; a phone as
        # "+46 70*** **12", BankID: the name); a service no longer configured
        # shows what was stored, which is masked already.
        service = get_service(self.enrollment.service)
        return service.masked(self.enrollment) if service else self.enrollment.display

    @property
    def created_at(self) -> datetime:
        return self.enrollment.created_at

    @property
    def changed_at(self) -> datetime | None:
        """When it was last changed, if after it was registered (a changed
        number is as new as a new one: a thief's change looks like this)."""
        changed = self.enrollment.updated_at
        if changed and (changed - self.enrollment.created_at).total_seconds() > 60:
            return changed
        return None

    @property
    def last_used_at(self) -> datetime | None:
        return self.enrollment.last_used_at


@dataclass(frozen=True)
class UserProfile:
    user: DirectoryUser
    meter: StarMeter
    enrollments: list[EnrollmentRow]
    events: list[AuditEvent]
    policy: Policy | None = None


def enrollment_rows(user_guid: str) -> list[EnrollmentRow]:
    rows = []
    for enrollment in Enrollment.objects.filter(user_guid=user_guid).order_by("created_at"):
        service = get_service(enrollment.service)
        rows.append(
            EnrollmentRow(
                enrollment=enrollment,
                service_name=str(service.name) if service else enrollment.service,
                stars=service.weight if service else 0,
            )
        )
    return rows


def get_directory_user(guid: str) -> DirectoryUser:
    """The user read live from the directory. Raises UserNotFound, DirectoryUnavailable."""
    user = get_directory().get_user(guid)
    if user is None:
        raise UserNotFound(detail=guid)
    return user


def user_profile(*, request, guid: str) -> UserProfile:
    """Everything the helpdesk sees about a user; the look-up itself is audited
    so the user's own trail says who looked at them."""
    user = get_directory_user(guid)
    record(
        action="helpdesk.user_viewed",
        result="info",
        request=request,
        subject=user.username,
        subject_guid=user.guid,
    )
    policy = policy_for(user=user)
    return UserProfile(
        user=user,
        policy=policy,
        meter=star_meter(user_guid=user.guid, policy=policy),
        enrollments=enrollment_rows(user.guid),
        events=list(AuditEvent.objects.filter(subject_guid=user.guid)[:RECENT_EVENTS]),
    )


def unlock_account(*, request, guid: str, caller_verified: bool = False) -> DirectoryUser:
    """Clear the account's lockout in the directory. Raises DirectoryError."""
    user = get_directory_user(guid)
    details = {"was_locked": user.locked, "caller_verified": caller_verified}
    try:
        get_directory().unlock(user)
    except DirectoryError as exc:
        record(
            action="helpdesk.unlock",
            result="error",
            request=request,
            subject=user.username,
            subject_guid=user.guid,
            details={**details, "reason": exc.code, "detail": exc.detail},
        )
        raise
    record(
        action="helpdesk.unlock",
        result="success",
        request=request,
        subject=user.username,
        subject_guid=user.guid,
        details=details,
    )
    return user


def remove_enrollment_by_helpdesk(*, request, enrollment: Enrollment, reason: str) -> bool:
    """Remove the enrollment (audited) and tell the user by e-mail.

    Returns whether the e-mail went out; the removal stands either way.
    """
    service = get_service(enrollment.service)
    service_name = str(service.name) if service else enrollment.service
    guid, username = enrollment.user_guid, enrollment.username
    remove_enrollment(
        request=request,
        enrollment=enrollment,
        reason=reason,
        actor=request.user.get_username(),
    )
    try:
        user = get_directory().get_user(guid)
    except DirectoryError:
        user = None
    sent = bool(user and user.mail) and send_template_mail(
        template="enrollment_removed",
        to=user.mail,
        context={
            "name": user.display_name or user.username,
            "service_name": service_name,
            "portal_url": _portal_url(request),
            "not_me": _absolute(
                request,
                not_me_link(
                    user_guid=guid,
                    username=username,
                    kind="enrollment.removed",
                    detail=str(service_name),
                ),
            ),
        },
    )
    record(
        action="helpdesk.notified",
        result="success" if sent else "failure",
        request=request,
        subject=username,
        subject_guid=guid,
        details={"mail": "enrollment_removed", "service": enrollment.service},
    )
    return sent


def _absolute(request, url: str) -> str:
    return request.build_absolute_uri(url) if url.startswith("/") else url


def _portal_url(request) -> str:
    base = helpdesk_conf.portal_url()
    if base:
        return base
    return request.build_absolute_uri(reverse("home")) if request is not None else ""


@dataclass(frozen=True)
class Stars:
    collected: int
    full: int

    @property
    def shown(self) -> int:
        return min(self.collected, self.full)

    @property
    def row(self) -> list[bool]:
        return [i < self.shown for i in range(self.full)]


def stars_by_guid(users: list[DirectoryUser]) -> dict[str, Stars]:
    """The stars of each user under their per-group policy, in one query
    (and one directory search per group policy). Raises DirectoryError."""
    keys: dict[str, set[str]] = {user.guid: set() for user in users}
    rows = Enrollment.objects.filter(user_guid__in=list(keys)).values_list("user_guid", "service")
    for guid, service in rows:
        keys[guid].add(service)
    policies = policies_for(users)
    return {
        guid: Stars(policies[guid].count_stars(k), policies[guid].stars_full)
        for guid, k in keys.items()
    }


def mask_query(text: str) -> str:
    """A search text fit for the audit trail: a typed phone number keeps only
    its last two digits."""
    if sum(c.isdigit() for c in text) >= 6:
        return re.sub(r"\d(?=(?:\D*\d){2})", "*", text)
    return text
