"""Password-expiry reminders: "your password expires in 3 days; change it here".

Run daily by beat (``reset.send_password_expiry_reminders``) and by
``manage.py send_password_expiry_reminders [--dry-run]``. One paged directory
search finds the enabled users in scope whose password can expire
(``DirectoryBackend.password_expiries``: AD's msDS-UserPasswordExpiryTimeComputed,
which honours fine-grained policies). A user whose password expires within a
threshold of ``PASSWORD_EXPIRY_REMINDER_DAYS`` gets an e-mail to the directory
address (and, with ``PASSWORD_EXPIRY_REMINDER_SMS``, a message through every
enrolled service that carries notices: Mobilkod), with a link to "Byt
lösenord" and the "Det var inte jag" link. Each threshold once per password:
``PasswordExpiryReminder`` is keyed on objectGUID and pwdLastSet, so a changed
password starts afresh, and a reminder is never sent about a password that
has been changed. Disabled, locked, must-change and never-expiring accounts
get none. At most ``PASSWORD_EXPIRY_REMINDER_MAX_PER_RUN`` are sent per run,
``PASSWORD_EXPIRY_REMINDER_PER_MINUTE`` a minute; the rest are still due at
the next run. Logs hold counts only.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from audit.service import record
from enrollment.notify import if_not_you, not_me_link
from enrollment.registry import all_services
from enrollment.selectors import enrolled_keys
from identity.directory import DirectoryUser, get_directory

from . import conf
from .models import PasswordExpiryReminder

logger = logging.getLogger("portal.reset")

#: The coverage page's horizon.
SOON_DAYS = 14


@dataclass(frozen=True)
class DueReminder:
    user: DirectoryUser
    threshold: int
    days_left: int

    @property
    def key(self) -> str:
        return password_key(self.user)


@dataclass
class ExpiryRun:
    due: list[DueReminder] = field(default_factory=list)
    sent: int = 0
    failed: int = 0
    deferred: int = 0  # over the per-run cap: due again at the next run


def password_key(user: DirectoryUser) -> str:
    """Which password a reminder is about: its pwdLastSet."""
    return user.password_last_set.isoformat() if user.password_last_set else ""


def days_left(expires_at: datetime, now: datetime) -> int:
    """Whole days left, rounded up: 2.1 days left is "3 days"."""
    return max(0, math.ceil((expires_at - now).total_seconds() / 86400))


def threshold_for(left_seconds: float, thresholds: list[int]) -> int | None:
    """The smallest threshold the password is within (None: none yet)."""
    inside = [t for t in thresholds if left_seconds <= t * 86400]
    return min(inside) if inside else None


def due_reminders(
    *,
    users: Iterable[DirectoryUser],
    sent: dict[tuple[str, str], set[int]],
    thresholds: list[int],
    now: datetime,
) -> list[DueReminder]:
    """Whom to remind now (pure). ``sent``: (guid, password key) -> the
    thresholds already sent for that password. A user past a threshold gets
    only the smallest one due: a first run does not send 14, 7 and 3 at once,
    and once 3 was sent, 7 is never sent for that password."""
    due = []
    for user in users:
        expires = user.password_expires_at
        if expires is None or expires <= now or not user.guid:
            continue  # never expires, must change now, or already expired
        if user.disabled or user.locked or user.password_never_expires:
            continue
        if user.must_change_password or user.password_last_set is None:
            continue
        threshold = threshold_for((expires - now).total_seconds(), thresholds)
        if threshold is None:
            continue
        already = sent.get((user.guid, password_key(user)), set())
        if any(t <= threshold for t in already):
            continue
        due.append(DueReminder(user=user, threshold=threshold, days_left=days_left(expires, now)))
    return due


def _sent_so_far(guids: set[str]) -> dict[tuple[str, str], set[int]]:
    sent: dict[tuple[str, str], set[int]] = {}
    rows = PasswordExpiryReminder.objects.filter(user_guid__in=guids).values_list(
        "user_guid", "password_last_set", "threshold"
    )
    for guid, key, threshold in rows:
        sent.setdefault((guid, key), set()).add(threshold)
    return sent


def count_expiring(*, days: int = SOON_DAYS, now: datetime | None = None) -> int:
    """How many enabled users' passwords expire within ``days`` (coverage page)."""
    now = now or timezone.now()
    horizon = now + timedelta(days=days)
    return sum(
        1
        for u in get_directory().password_expiries()
        if u.password_expires_at is not None and now < u.password_expires_at <= horizon
    )


def _language(user: DirectoryUser) -> str:
    """The user's language where the directory tells it (preferredLanguage,
    when it is in LDAP_EXTRA_ATTRIBUTES), else the portal's (Swedish)."""
    wanted = (user.extra.get("preferredLanguage") or "").strip().lower()[:2]
    known = {code for code, _name in settings.LANGUAGES}
    return wanted if wanted in known else settings.LANGUAGE_CODE


def _change_url() -> str:
    base = conf.portal_url().rstrip("/")
    return f"{base}{reverse('change_password')}"


def reminder_text(*, days: int, expires_at: datetime, change_url: str, not_me: str) -> str:
    """The reminder as one paragraph (the SMS, and the e-mail's core sentence)."""
    when = timezone.localtime(expires_at).strftime("%Y-%m-%d")
    if days <= 1:
        text = _("Ditt lösenord går ut inom ett dygn (%(date)s).") % {"date": when}
    else:
        text = _("Ditt lösenord går ut om %(days)s dagar (%(date)s).") % {
            "days": days,
            "date": when,
        }
    text = f"{text} {_('Byt lösenord: %(url)s') % {'url': change_url}}"
    return f"{text} {if_not_you(not_me)}"


def _send(reminder: DueReminder) -> list[str]:
    """Send one reminder on every channel; returns the channels used."""
    user = reminder.user
    channels: list[str] = []
    with translation.override(_language(user)):
        not_me = not_me_link(
            user_guid=user.guid,
            username=user.username,
            kind="password.expiry",
            detail=str(reminder.days_left),
        )
        change_url = _change_url()
        text = reminder_text(
            days=reminder.days_left,
            expires_at=user.password_expires_at,
            change_url=change_url,
            not_me=not_me,
        )
        if user.mail:
            ctx = {
                "name": user.display_name or user.username,
                "days": reminder.days_left,
                "expires_at": timezone.localtime(user.password_expires_at),
                "change_url": change_url,
                "not_me": not_me,
                "notice": text,
                "portal_name": settings.PORTAL_NAME,
                "organisation": getattr(settings, "BRAND_ORGANISATION", "") or "",
            }
            subject = render_to_string("reset/email/expiry_subject.txt", ctx).strip()
            body = render_to_string("reset/email/expiry.txt", ctx)
            html = render_to_string("reset/email/expiry.html", ctx)
            message = EmailMultiAlternatives(
                subject=" ".join(subject.split()), body=body, to=[user.mail]
            )
            message.attach_alternative(html, "text/html")
            message.send()
            channels.append("email")
        if conf.expiry_reminder_sms():
            enrolled = enrolled_keys(user.guid)
            for service in all_services():
                if service.key in enrolled and service.queue_notice(
                    user_guid=user.guid, text=text, kind="password.expiry"
                ):
                    channels.append(service.key)
    return channels


def send_password_expiry_reminders(
    *, now: datetime | None = None, dry_run: bool = False, sleep=time.sleep
) -> ExpiryRun:
    """Find and send the reminders due now (``dry_run``: only find them),
    at most ``PASSWORD_EXPIRY_REMINDER_PER_MINUTE`` a minute (``sleep`` pauses)."""
    run = ExpiryRun()
    thresholds = conf.expiry_reminder_days()
    if not thresholds:
        return run
    now = now or timezone.now()
    users = get_directory().password_expiries()
    sent = _sent_so_far({u.guid for u in users if u.guid})
    run.due = due_reminders(users=users, sent=sent, thresholds=thresholds, now=now)
    if dry_run:
        logger.info("password expiry reminders (dry run): %s due", len(run.due))
        return run
    cap = conf.expiry_reminder_max_per_run()
    per_minute = conf.expiry_reminder_per_minute()
    for reminder in run.due:
        if run.sent + run.failed >= cap:
            run.deferred += 1
            continue
        if per_minute and run.sent + run.failed:
            sleep(60 / per_minute)  # pace the mail server and the SMS gateway
        _remind(reminder, run=run)
    logger.info(
        "password expiry reminders: %s due, %s sent, %s failed, %s deferred",
        len(run.due),
        run.sent,
        run.failed,
        run.deferred,
    )
    return run


def _remind(reminder: DueReminder, *, run: ExpiryRun) -> None:
    user = reminder.user
    details = {"threshold": reminder.threshold, "days_left": reminder.days_left}
    try:
        with transaction.atomic():
            # The row first: a second run at the same time sends nothing twice.
            row = PasswordExpiryReminder.objects.create(
                user_guid=user.guid,
                password_last_set=reminder.key,
                threshold=reminder.threshold,
                expires_at=user.password_expires_at,
            )
            channels = _send(reminder)
            row.channels = ",".join(channels)[:64]
            row.save(update_fields=["channels"])
            record(
                action="password.expiry_reminder",
                result="success" if channels else "failure",
                actor="system",
                subject=user.username,
                subject_guid=user.guid,
                details=details | {"channels": channels},
            )
    except IntegrityError:
        return  # another run sent it
    except OSError as exc:  # the mail server: audited, due again next run
        run.failed += 1
        record(
            action="password.expiry_reminder",
            result="error",
            actor="system",
            subject=user.username,
            subject_guid=user.guid,
            details=details | {"error": type(exc).__name__},
        )
        return
    if channels:
        run.sent += 1
    else:
        run.failed += 1
