""" "Det var inte jag": the link in every notice, and the account hold it sets.

Every notice (enrolment, change, removal, reset, unlock, expiry reminder)
carries a link made by ``notice_link_url``: signed (``django.core.signing``,
its own salt, valid ``NOT_ME_LINK_DAYS``) and single-use (a ``NoticeLink``
row). Opening it shows what the notice said and asks for a confirmation;
``confirm_not_me`` then puts the account on hold at once: the core refuses
self-service reset (a held account's reset flow is the unknown user's decoy
flow, so a stranger learns nothing) and enrolment changes while the hold
lasts, ends the account's portal sessions, audits, and mails the helpdesk,
who clears the hold (``clear_hold``) after talking to the person.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from functools import partial

from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from audit.service import record

from . import conf
from .models import AccountHold, NoticeLink
from .users import end_user_sessions

logger = logging.getLogger("portal.identity")

SALT = "identity.holds.not-me"


class LinkRefused(Exception):
    """A link that cannot be used: ``code`` is ``invalid`` (tampered, unknown,
    not this account's), ``expired`` or ``used``."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def notice_link_url(
    *,
    user_guid: str,
    username: str = "",
    kind: str,
    detail: str = "",
    occurred_at: datetime | None = None,
) -> str:
    """A new "Det var inte jag" link for one notice to ``user_guid`` (absolute
    when ``PORTAL_URL`` is set). "" for no account (a notice to nobody)."""
    if not user_guid:
        return ""
    now = timezone.now()
    link = NoticeLink.objects.create(
        user_guid=user_guid,
        username=username[:256],
        kind=kind[:64],
        detail=str(detail)[:128],
        occurred_at=occurred_at or now,
        expires_at=now + timedelta(days=conf.not_me_link_days()),
    )
    token = signing.dumps({"l": link.id.hex, "u": user_guid}, salt=SALT, compress=True)
    # In the notice's language: /en/inte-jag/... for an English notice.
    path = reverse("not_me", kwargs={"token": token})
    base = conf.portal_url().rstrip("/")
    return f"{base}{path}" if base else path


def read_notice_link(token: str) -> NoticeLink:
    """The link's row, or LinkRefused."""
    max_age = timedelta(days=conf.not_me_link_days())
    try:
        data = signing.loads(token or "", salt=SALT, max_age=max_age)
    except signing.SignatureExpired:
        raise LinkRefused("expired") from None
    except signing.BadSignature:
        raise LinkRefused("invalid") from None
    if not isinstance(data, dict):
        raise LinkRefused("invalid")
    link = NoticeLink.objects.filter(pk=str(data.get("l", ""))).first() if _hex(data) else None
    if link is None or link.user_guid != data.get("u"):
        raise LinkRefused("invalid")
    if link.used_at is not None:
        raise LinkRefused("used")
    if link.expires_at <= timezone.now():
        raise LinkRefused("expired")
    return link


def _hex(data: dict) -> bool:
    value = data.get("l")
    return (
        isinstance(value, str) and len(value) == 32 and all(c in "0123456789abcdef" for c in value)
    )


def confirm_not_me(*, request, token: str) -> AccountHold:
    """The owner confirms "Det var inte jag": the link is used up, the account
    held, its sessions ended, the helpdesk mailed. Raises LinkRefused."""
    with transaction.atomic():
        link = read_notice_link(token)
        link = NoticeLink.objects.select_for_update().get(pk=link.pk)
        if link.used_at is not None:  # a second click raced the first
            raise LinkRefused("used")
        link.used_at = timezone.now()
        link.save(update_fields=["used_at"])
        hold = active_hold(link.user_guid)
        if hold is None:
            hold = AccountHold.objects.create(
                user_guid=link.user_guid, username=link.username, kind=link.kind, link=link
            )
        ended = end_user_sessions(link.user_guid)
        mailed = bool(conf.helpdesk_email())
        record(
            action="identity.not_me",
            result="warning",
            request=request,
            actor="owner",
            subject=link.username,
            subject_guid=link.user_guid,
            details={
                "kind": link.kind,
                "occurred_at": link.occurred_at.isoformat(),
                "sessions_ended": ended,
                "helpdesk_mailed": mailed,
            },
        )
        if mailed:
            transaction.on_commit(partial(_mail_helpdesk, hold_id=hold.pk))
    return hold


def _mail_helpdesk(*, hold_id: int) -> None:
    hold = AccountHold.objects.select_related("link").filter(pk=hold_id).first()
    if hold is None:
        return
    link = hold.link
    with translation.override("sv"):
        ctx = {
            "username": hold.username,
            "kind": link.kind if link else hold.kind,
            "occurred_at": timezone.localtime(link.occurred_at) if link else None,
            "held_at": timezone.localtime(hold.created_at),
        }
        subject = render_to_string("identity/email/not_me_helpdesk_subject.txt", ctx).strip()
        body = render_to_string("identity/email/not_me_helpdesk.txt", ctx)
        html = render_to_string("identity/email/not_me_helpdesk.html", ctx)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()), body=body, to=[conf.helpdesk_email()]
    )
    message.attach_alternative(html, "text/html")
    try:
        message.send()
    except OSError:
        logger.exception("could not e-mail the helpdesk about an account hold")


def active_hold(user_guid: str) -> AccountHold | None:
    if not user_guid:
        return None
    return AccountHold.objects.filter(user_guid=user_guid, cleared_at__isnull=True).first()


def is_on_hold(user_guid: str) -> bool:
    """True while the owner's "Det var inte jag" blocks self-service changes."""
    return bool(user_guid) and (
        AccountHold.objects.filter(user_guid=user_guid, cleared_at__isnull=True).exists()
    )


def clear_hold(*, request, user_guid: str) -> bool:
    """The helpdesk clears the hold after talking to the person (audited).
    False when there was none."""
    with transaction.atomic():
        hold = (
            AccountHold.objects.select_for_update()
            .filter(user_guid=user_guid, cleared_at__isnull=True)
            .first()
        )
        if hold is None:
            return False
        user = getattr(request, "user", None)
        hold.cleared_at = timezone.now()
        hold.cleared_by = user.get_username() if user is not None else ""
        hold.save(update_fields=["cleared_at", "cleared_by"])
        record(
            action="identity.hold_cleared",
            result="success",
            request=request,
            subject=hold.username,
            subject_guid=user_guid,
            details={"kind": hold.kind, "held_since": hold.created_at.isoformat()},
        )
    return True


def prune_notice_links(*, now: datetime | None = None) -> int:
    """Delete the links that can no longer be used (expired), except the one
    a hold came from (the helpdesk sees what it was about). Run nightly."""
    now = now or timezone.now()
    deleted, _ = (
        NoticeLink.objects.filter(expires_at__lt=now)
        .exclude(pk__in=AccountHold.objects.exclude(link=None).values("link"))
        .delete()
    )
    return deleted
