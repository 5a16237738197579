"""Reminding users whose star row is not full to enrol.

Users in ``ENROLLMENT_REMINDER_GROUP`` (empty: everyone) get at most one
e-mail per ``ENROLLMENT_REMINDER_DAYS`` (0 turns reminders off); when each was
last sent is kept in ``EnrollmentReminder``. Each user's row is measured by
their per-group policy (``enrollment.policy``): its stars and full row, and
the mail offers only its services; a user whose policy forbids self-service
is not reminded. One directory listing plus one search per group policy and
three queries, whatever the number of users, plus a write per mail sent.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from audit.service import record
from enrollment.models import Enrollment
from enrollment.policy import Policy, default_policy, policies_for
from identity.directory import DirectoryUser, get_directory

from . import conf as helpdesk_conf
from .mail import send_template_mail
from .models import EnrollmentReminder

logger = logging.getLogger("portal.helpdesk")


@dataclass
class ReminderRun:
    candidates: int = 0
    sent: int = 0
    failed: int = 0


def due_for_reminder(
    *,
    users: Iterable[DirectoryUser],
    enrolled: dict[str, set[str]],
    last_sent: dict[str, datetime],
    group: str,
    since: datetime,
    policies: dict[str, Policy] | None = None,
) -> list[DirectoryUser]:
    """The users to remind now (pure): enabled, with an address, in the group,
    self-service allowed and the star row not full under their policy
    (``policies`` by objectGUID; missing: the default), and not reminded
    since ``since``."""
    default = default_policy()
    policies = policies or {}
    due = []
    for user in users:
        if user.disabled or not user.mail:
            continue
        if group and not user.in_any_group([group]):
            continue
        policy = policies.get(user.guid) or default
        if not policy.reset_allowed:
            continue
        if policy.count_stars(enrolled.get(user.guid, set())) >= policy.stars_full:
            continue
        sent = last_sent.get(user.guid)
        if sent is not None and sent >= since:
            continue
        due.append(user)
    return due


def send_enrollment_reminders(*, now: datetime | None = None) -> ReminderRun:
    run = ReminderRun()
    days = helpdesk_conf.reminder_days()
    if days <= 0:
        return run
    now = now or timezone.now()
    enrolled: dict[str, set[str]] = defaultdict(set)
    for guid, service in Enrollment.objects.values_list("user_guid", "service"):
        enrolled[guid].add(service)
    last_sent = dict(EnrollmentReminder.objects.values_list("user_guid", "sent_at"))
    users = get_directory().list_users()
    policies = policies_for(users)
    default = default_policy()
    due = due_for_reminder(
        users=users,
        policies=policies,
        enrolled=enrolled,
        last_sent=last_sent,
        group=helpdesk_conf.reminder_group(),
        since=now - timedelta(days=days),
    )
    run.candidates = len(due)
    for user in due:
        keys = enrolled.get(user.guid, set())
        policy = policies.get(user.guid) or default
        stars, full = policy.count_stars(keys), policy.stars_full
        ok = send_template_mail(
            template="enrollment_reminder",
            to=user.mail,
            context={
                "name": user.display_name or user.username,
                "stars": min(stars, full),
                "stars_full": full,
                "services": [str(s.name) for s in policy.services if s.key not in keys],
                "portal_url": helpdesk_conf.portal_url(),
            },
        )
        record(
            action="enrollment.reminder_sent",
            result="success" if ok else "failure",
            subject=user.username,
            subject_guid=user.guid,
            actor="system",
            details={"stars": stars, "stars_full": full, "policy": policy.name},
        )
        if not ok:
            run.failed += 1
            continue
        run.sent += 1
        reminder, created = EnrollmentReminder.objects.get_or_create(
            user_guid=user.guid,
            defaults={"username": user.username, "sent_at": now, "times_sent": 1},
        )
        if not created:
            reminder.username = user.username
            reminder.sent_at = now
            reminder.times_sent += 1
            reminder.save(update_fields=["username", "sent_at", "times_sent"])
    logger.info(
        "enrollment reminders: %s due, %s sent, %s failed", run.candidates, run.sent, run.failed
    )
    return run
