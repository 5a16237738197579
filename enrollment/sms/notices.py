"""Notices by SMS to a user's enrolled number (e.g. "your password was changed")."""

from __future__ import annotations

import logging

from audit.service import record
from enrollment.crypto import decrypt
from enrollment.services import enrollment_for

from . import conf
from .gateways import SmsError, get_sms_backend

logger = logging.getLogger("portal.sms")


def send_sms_notice(*, user_guid: str, text: str, kind: str = "notice", request=None) -> bool:
    """Send ``text`` to the user's enrolled Mobilkod number now (call it from a
    task). False when the user has no Mobilkod or the gateway failed; both are
    audited (action ``sms.notice_sent`` / ``sms.notice_failed``, ``kind`` in details).
    ``text`` must not hold secrets: it is passed through the task queue."""
    enrollment = enrollment_for(user_guid=user_guid, service="sms") if user_guid else None
    if enrollment is None or not enrollment.protected_value:
        return False
    details = {"kind": kind[:64], "display": enrollment.display, "backend": conf.backend_path()}
    try:
        provider_id = get_sms_backend().send(to=decrypt(enrollment.protected_value), text=text)
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
