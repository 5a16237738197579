"""Notices by SMS to a user's enrolled number (e.g. "your password was changed")."""

from __future__ import annotations

import logging

from audit.service import record
from enrollment.crypto import decrypt
from enrollment.services import enrollment_for

from . import conf, phone
from .gateways import SmsError, get_sms_backend

logger = logging.getLogger("portal.sms")


def send_sms_notice(
    *, user_guid: str, text: str, kind: str = "notice", request=None, protected_value: str = ""
) -> bool:
    """Send ``text`` to the user's enrolled Mobilkod number now (call it from a
    task), or to ``protected_value`` (an encrypted number: the one a change
    replaced). False when there is no number or the gateway failed; both are
    audited (action ``sms.notice_sent`` / ``sms.notice_failed``, ``kind`` in details).
    ``text`` must not hold secrets: it is passed through the task queue."""
    enrollment = enrollment_for(user_guid=user_guid, service="sms") if user_guid else None
    if enrollment is None or not (protected_value or enrollment.protected_value):
        return False
    number = protected_value or enrollment.protected_value
    details = {"kind": kind[:64], "display": enrollment.display, "backend": conf.backend_path()}
    try:
        to = decrypt(number)
        details["display"] = phone.mask(to)
        provider_id = get_sms_backend().send(to=to, text=text)
    except (SmsError, ValueError) as exc:
        error = exc if isinstance(exc, SmsError) else SmsError("cannot decrypt", True, code="key")
        record(
            action="sms.notice_failed",
            result="error",
            request=request,
            subject=enrollment.username,
            subject_guid=user_guid,
            details=details | {"error": error.code, "permanent": error.permanent},
        )
        return False
    record(
        action="sms.notice_sent",
        result="success",
        request=request,
        subject=enrollment.username,
        subject_guid=user_guid,
        details=details | {"provider_id": provider_id},
    )
    return True
