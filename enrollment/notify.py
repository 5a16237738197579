"""Notices when an identity service is registered or changed: "Mobilkod was
registered on your account at 14:02 from IP …; if this wasn't you, call IT
support". A thief with the AD password who registers their own phone or
BankID is told on the user's other channels: the AD ``mail`` and the enrolled
phone (for a changed number, the old one)."""

from __future__ import annotations

from functools import partial

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from identity.directory import DirectoryError, get_directory
from identity.holds import notice_link_url

from . import conf
from .registry import all_services, get_service
from .selectors import enrolled_keys


def _text(
    *, service: str, created: bool, ip: str, at: str, not_me: str = "", removed: bool = False
) -> str:
    when = timezone.localtime(parse_datetime(at))
    found = get_service(service)
    ctx = {
        "service": str(found.name) if found else service,
        "date": when.strftime("%Y-%m-%d"),
        "time": when.strftime("%H:%M"),
        "ip": ip or _("okänd adress"),
    }
    if removed:
        what = _(
            "%(service)s togs bort från ditt konto %(date)s kl. %(time)s från IP-adressen %(ip)s."
        )
    elif created:
        what = _(
            "%(service)s registrerades på ditt konto %(date)s kl. %(time)s från IP-adressen %(ip)s."
        )
    else:
        what = _(
            "%(service)s ändrades på ditt konto %(date)s kl. %(time)s från IP-adressen %(ip)s."
        )
    return f"{what % ctx} {if_not_you(not_me)}"


def if_not_you(not_me: str = "") -> str:
    """The closing sentence of every notice: call IT support if it wasn't
    you, and the notice's "Det var inte jag" link (``not_me_link``)."""
    contact = conf.helpdesk_contact()
    if contact:
        text = _("Om det inte var du, ring IT-supporten på %(helpdesk)s.") % {"helpdesk": contact}
    else:
        text = _("Om det inte var du, ring IT-supporten.")
    if not_me:
        text = f"{text} {_('Det var inte jag: %(link)s') % {'link': not_me}}"
    return text


def not_me_link(*, user_guid: str, username: str = "", kind: str, detail: str = "") -> str:
    """The "Det var inte jag" link of one notice: every notice composed by the
    core (and by a service, through this function) carries one, so a new
    service's notices get it too. "" when there is no account."""
    return notice_link_url(user_guid=user_guid, username=username, kind=kind, detail=detail)


def queue_enrollment_notices(
    *,
    user_guid: str,
    service: str,
    created: bool,
    ip: str,
    replaced_value: str = "",
    username: str = "",
    removed: bool = False,
) -> None:
    """Queue the notices, sent once the current transaction commits: the e-mail,
    and a message through every other enrolled service that can carry one
    (``IdentityService.queue_notice``).

    ``replaced_value`` is the protected value a change replaced (e.g. the old
    encrypted phone number): the changed service's notice goes there, not to
    the new value the change just proved. ``removed``: the service was
    removed; ``replaced_value`` is then the removed value, which is told too."""
    from . import tasks

    found = get_service(service)
    not_me = not_me_link(
        user_guid=user_guid,
        username=username,
        kind="enrollment.removed"
        if removed
        else ("enrollment.created" if created else "enrollment.changed"),
        detail=str(found.name) if found else service,
    )
    args = {
        "user_guid": user_guid,
        "service": service,
        "created": created,
        "ip": ip or "",
        "at": timezone.now().isoformat(),
        "language": translation.get_language() or settings.LANGUAGE_CODE,
        "not_me": not_me,
    }
    if removed:
        args["removed"] = True
    transaction.on_commit(partial(tasks.send_enrollment_notice_email.delay, **args))
    text = _text(
        service=service,
        created=created,
        ip=args["ip"],
        at=args["at"],
        not_me=not_me,
        removed=removed,
    )
    enrolled = enrolled_keys(user_guid)
    for channel in all_services():
        if channel.key == service:
            if replaced_value:
                channel.queue_notice(
                    user_guid=user_guid,
                    text=text,
                    kind="enrollment.removed" if removed else "enrollment.changed",
                    replaced_value=replaced_value,
                )
        elif channel.key in enrolled:
            channel.queue_notice(user_guid=user_guid, text=text, kind=f"enrollment.{service}")


def send_enrollment_notice_email(
    *,
    user_guid: str,
    service: str,
    created: bool,
    ip: str,
    at: str,
    language: str,
    not_me: str = "",
    removed: bool = False,
) -> bool:
    """Send the e-mail to the user's directory address (call it from a task).
    False when the user has none or the directory cannot be asked."""
    try:
        user = get_directory().get_user(user_guid)
    except DirectoryError:
        return False
    if user is None or not user.mail:
        return False
    with translation.override(language):
        ctx = {
            "name": user.display_name or user.username,
            "notice": _text(
                service=service, created=created, ip=ip, at=at, not_me=not_me, removed=removed
            ),
            "not_me": not_me,
            "removed": removed,
            "portal_name": settings.PORTAL_NAME,
            "organisation": getattr(settings, "BRAND_ORGANISATION", "") or "",
        }
        subject = render_to_string("enrollment/email/enrolled_subject.txt", ctx).strip()
        body = render_to_string("enrollment/email/enrolled.txt", ctx)
        html = render_to_string("enrollment/email/enrolled.html", ctx)
    message = EmailMultiAlternatives(subject=" ".join(subject.split()), body=body, to=[user.mail])
    message.attach_alternative(html, "text/html")
    message.send()
    return True
