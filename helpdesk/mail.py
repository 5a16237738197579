"""E-mail to a directory user: each message a template set (subject, text, HTML)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

logger = logging.getLogger("portal.helpdesk")


def send_template_mail(*, template: str, to: str, context: dict) -> bool:
    """Send ``helpdesk/email/<template>_subject.txt`` / ``.txt`` / ``.html`` to ``to``.

    Returns False (and logs) when the mail server refused; the caller audits it.
    Written in the portal's language: the recipient is not here to choose one.
    """
    if not to:
        return False
    context = {"PORTAL_NAME": settings.PORTAL_NAME, **context}
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"helpdesk/email/{template}_subject.txt", context)
        text = render_to_string(f"helpdesk/email/{template}.txt", context)
        html = render_to_string(f"helpdesk/email/{template}.html", context)
    message = EmailMultiAlternatives(subject=" ".join(subject.split()), body=text, to=[to])
    message.attach_alternative(html, "text/html")
    try:
        message.send()
    except Exception as exc:  # any transport error: the removal itself stands
        # An expected failure (the mail server is down): one line, no traceback.
        logger.warning("mail %s could not be sent: %s", template, type(exc).__name__)
        return False
    return True
