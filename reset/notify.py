"""Notices after a reset, an unlock or a change: "it was done, from here, at this
time; if it was not you, call IT support".

They go to the account's e-mail address in the directory (``mail``) and to
every enrolled service that can carry a message (``IdentityService.queue_notice``;
Mobilkod: the enrolled phone, through its task, which finds and decrypts the
number in the worker), each queued when the transaction commits.
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime
from functools import partial

from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from enrollment.notify import if_not_you, not_me_link
from enrollment.registry import all_services
from enrollment.selectors import enrolled_keys
from identity.directory import DirectoryUser

from . import conf

logger = logging.getLogger("portal.reset")

EVENTS = ("reset", "unlocked", "changed")
SENT_MARK_SECONDS = 7 * 24 * 3600


def queue_password_notices(
    *, user: DirectoryUser, event: str, ip: str, at: datetime | None = None
) -> list[str]:
    """Queue one notice per channel, sent after the current transaction commits.
    Returns the channels queued (``email`` and service keys, e.g. ``sms``)."""
    if event not in EVENTS:
        raise ValueError(f"unknown event {event!r}")
    from . import tasks

    not_me = not_me_link(user_guid=user.guid, username=user.username, kind=f"password.{event}")
    common = {
        "not_me": not_me,
        "notice_id": uuid.uuid4().hex,
        "event": event,
        "ip": ip or "",
        "at": (at or timezone.now()).isoformat(),
        "language": translation.get_language() or settings.LANGUAGE_CODE,
    }
    channels = []
    if user.mail:
        channels.append("email")
        transaction.on_commit(
            partial(
                tasks.send_password_notice_email.delay,
                address=user.mail,
                name=user.display_name or user.username,
                **common,
            )
        )
    text = notice_text(event=event, ip=common["ip"], at=common["at"], not_me=not_me)
    enrolled = enrolled_keys(user.guid)
    for service in all_services():
        if service.key in enrolled and service.queue_notice(
            user_guid=user.guid, text=text, kind=f"password.{event}"
        ):
            channels.append(service.key)
    return channels


def _context(*, event: str, ip: str, at: str) -> dict:
    when = timezone.localtime(parse_datetime(at))
    return {
        "event": event,
        "ip": ip or _("okänd adress"),
        "date": when.strftime("%Y-%m-%d"),
        "time": when.strftime("%H:%M"),
        "helpdesk": conf.helpdesk_contact(),
        "portal_name": settings.PORTAL_NAME,
        "organisation": getattr(settings, "BRAND_ORGANISATION", "") or "",
    }


def notice_text(*, event: str, ip: str, at: str, not_me: str = "") -> str:
    """The one-paragraph notice (the SMS, and the e-mail's core sentence)."""
    ctx = _context(event=event, ip=ip, at=at)
    what = {
        "reset": _("Ditt lösenord återställdes %(date)s kl. %(time)s från IP-adressen %(ip)s."),
        "unlocked": _("Ditt konto låstes upp %(date)s kl. %(time)s från IP-adressen %(ip)s."),
        "changed": _("Ditt lösenord byttes %(date)s kl. %(time)s från IP-adressen %(ip)s."),
    }[event] % ctx
    return f"{what} {if_not_you(not_me)}"


def _already_sent(notice_id: str, channel: str) -> bool:
    return bool(cache.get(f"reset:notice:{notice_id}:{channel}"))


def _mark_sent(notice_id: str, channel: str) -> None:
    cache.set(f"reset:notice:{notice_id}:{channel}", 1, timeout=SENT_MARK_SECONDS)


def send_notice_email(
    *,
    notice_id: str,
    address: str,
    name: str,
    event: str,
    ip: str,
    at: str,
    language: str,
    not_me: str = "",
) -> bool:
    """Send the e-mail notice (subject, plain text, HTML). False if it was sent before."""
    if _already_sent(notice_id, "email"):
        return False
    with translation.override(language):
        ctx = {**_context(event=event, ip=ip, at=at), "name": name, "not_me": not_me}
        ctx["notice"] = notice_text(event=event, ip=ip, at=at)
        subject = render_to_string("reset/email/notice_subject.txt", ctx).strip()
        body = render_to_string("reset/email/notice.txt", ctx)
        html = render_to_string("reset/email/notice.html", ctx)
    message = EmailMultiAlternatives(subject=" ".join(subject.split()), body=body, to=[address])
    message.attach_alternative(html, "text/html")
    message.send()
    _mark_sent(notice_id, "email")
    return True
