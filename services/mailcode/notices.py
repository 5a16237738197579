"""Notices by e-mail to a user's private address (e.g. "your password was changed",
"E-postkod was registered on your account")."""

from __future__ import annotations

from audit.service import record
from enrollment.crypto import decrypt
from enrollment.services import enrollment_for

from .address import mask
from .transport import MailError, render_mail, send_mail_now

KEY = "email"


def send_mail_notice(
    *,
    user_guid: str,
    text: str,
    kind: str = "notice",
    request=None,
    protected_value: str = "",
    language: str = "",
) -> bool:
    """Send ``text`` to the user's private address now (call it from a task),
    or to ``protected_value`` (an encrypted address: the one a change replaced).
    False when there is no address or sending failed; both are audited
    (``email.notice_sent`` / ``email.notice_failed``, ``kind`` in details)."""
    enrollment = enrollment_for(user_guid=user_guid, service=KEY) if user_guid else None
    token = protected_value or (enrollment.protected_value if enrollment else "")
    if not token:
        return False
    username = enrollment.username if enrollment else ""
    details = {"kind": kind[:64], "display": enrollment.display if enrollment else ""}
    try:
        to = decrypt(token)
        details["display"] = mask(to)
        subject, body, html = render_mail("notice", {"notice": text}, language=language or "sv")
        send_mail_now(to=to, subject=subject, text=body, html=html)
    except (MailError, ValueError) as exc:
        error = exc if isinstance(exc, MailError) else MailError("cannot decrypt", True, code="key")
        record(
            action="email.notice_failed",
            result="error",
            request=request,
            subject=username,
            subject_guid=user_guid,
            details=details | {"error": error.code, "permanent": error.permanent},
        )
        return False
    record(
        action="email.notice_sent",
        result="success",
        request=request,
        subject=username,
        subject_guid=user_guid,
        details=details,
    )
    return True
