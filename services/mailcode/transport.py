"""Sending one e-mail through Django's ``EMAIL_BACKEND``, with the failures a
mail server can give sorted into "try again later" and "this will not work".

The message is a template set (subject, plain text, HTML) in the user's
language, naming the portal and the organisation.
"""

from __future__ import annotations

import logging
import smtplib
import socket
import time

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from . import conf

logger = logging.getLogger("portal.mailcode")


class MailError(Exception):
    """Sending failed; ``permanent``: trying again will not help (the server
    refused the address), ``code`` a short word for the audit trail."""

    def __init__(self, text: str, permanent: bool = False, *, code: str = "unavailable") -> None:
        super().__init__(text)
        self.permanent = permanent
        self.code = code


def _classify(exc: Exception) -> MailError:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return MailError("recipient refused", True, code="refused")
    if isinstance(exc, smtplib.SMTPResponseException):
        permanent = 500 <= exc.smtp_code < 600
        return MailError(f"smtp {exc.smtp_code}", permanent, code=f"smtp_{exc.smtp_code}")
    if isinstance(exc, (socket.timeout, TimeoutError)):
        return MailError("timeout", code="timeout")
    return MailError(type(exc).__name__, code="unavailable")


def render_mail(template: str, context: dict, *, language: str) -> tuple[str, str, str]:
    """(subject, text, html) of ``mailcode/email/<template>``, in ``language``."""
    ctx = {
        "portal_name": settings.PORTAL_NAME,
        "organisation": getattr(settings, "BRAND_ORGANISATION", "") or "",
        **context,
    }
    with translation.override(language):
        ctx["LANGUAGE_CODE"] = language
        subject = render_to_string(f"mailcode/email/{template}_subject.txt", ctx)
        text = render_to_string(f"mailcode/email/{template}.txt", ctx)
        html = render_to_string(f"mailcode/email/{template}.html", ctx)
    return " ".join(subject.split()), text, html


def send_mail_now(*, to: str, subject: str, text: str, html: str) -> None:
    """Send one message, retrying what a retry can help (``MAILCODE_SEND_RETRIES``,
    backing off ``MAILCODE_RETRY_BACKOFF`` doubled). Raises MailError; logs
    neither the address nor a traceback: a mail server down is expected."""
    message = EmailMultiAlternatives(
        subject=subject, body=text, from_email=conf.from_email(), to=[to]
    )
    message.attach_alternative(html, "text/html")
    delay = conf.retry_backoff()
    for attempt in range(conf.send_retries() + 1):
        try:
            message.send()
            return
        except (smtplib.SMTPException, OSError) as exc:
            error = _classify(exc)
        logger.warning(
            "e-mail with a one-time code not sent (%s, attempt %s%s)",
            error.code,
            attempt + 1,
            ", permanent" if error.permanent else "",
        )
        if error.permanent or attempt == conf.send_retries():
            raise error
        time.sleep(delay)
        delay *= 2
    raise MailError("no attempt", code="internal")  # unreachable with retries >= 0
