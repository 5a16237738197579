"""Getting a code to the phone: queued after commit, sent by a Celery task.

The code itself never touches the database: it travels to the task sealed
(encrypted with enrollment.crypto) as a task argument, and the row only
records how sending went, so the confirm page can tell the user honestly.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from audit.service import record
from enrollment.crypto import decrypt, encrypt

from . import conf
from .gateways import SmsError, get_sms_backend
from .models import SendState, SmsChallenge

logger = logging.getLogger("portal.sms")


#: The purpose of the helpdesk's caller check (services/sms/caller.py).
HELPDESK_PURPOSE = "helpdesk"


def sms_text(*, code: str, language: str = "sv", purpose: str = "") -> str:
    """The message with the code, in the user's language, naming the portal,
    and who may hear it. A code for a reset, unlock, step-up or enrolment is
    for no one, IT support included; only the helpdesk's own caller check asks
    for its code, in a call the user made. Without that, "IT here, read me the
    code we just sent" while the caller runs a reset would look like the
    helpdesk's real procedure."""
    minutes = max(1, conf.code_validity_seconds() // 60)
    with translation.override(language):
        text = ngettext(
            "Din kod till %(portal)s är %(code)s. Den gäller i %(minutes)d minut.",
            "Din kod till %(portal)s är %(code)s. Den gäller i %(minutes)d minuter.",
            minutes,
        ) % {"portal": settings.PORTAL_NAME, "code": code, "minutes": minutes}
        if purpose == HELPDESK_PURPOSE:
            who = _("Läs upp den bara för IT-supporten i ett samtal som du själv har ringt.")
        else:
            who = _("Ge aldrig koden till någon, inte heller till IT-supporten.")
        return f"{text} {who}"


def queue_delivery(challenge: SmsChallenge, code: str) -> None:
    """Queue the task that sends ``code`` once the current transaction commits."""
    args = (str(challenge.pk), challenge.generation, encrypt(code))
    transaction.on_commit(lambda: _enqueue(*args))


def _enqueue(challenge_id: str, generation: int, sealed_code: str) -> None:
    from .tasks import deliver_sms_code

    try:
        deliver_sms_code.delay(challenge_id, generation, sealed_code)
    except Exception:  # the broker is down: say so instead of waiting forever
        logger.exception("sms: could not queue the code for challenge %s", challenge_id)
        _mark_failed(challenge_id, generation, SmsError("queue unavailable", code="queue"))


def _mark_failed(challenge_id: str, generation: int, error: SmsError) -> None:
    updated = SmsChallenge.objects.filter(pk=challenge_id, generation=generation).update(
        send_state=SendState.FAILED, send_permanent=error.permanent, send_error=error.code[:32]
    )
    challenge = SmsChallenge.objects.filter(pk=challenge_id).first()
    if not updated or challenge is None:
        return
    record(
        action="sms.send_failed",
        result="error",
        subject=challenge.username,
        subject_guid=challenge.user_guid,
        details={
            "display": challenge.display,
            "error": error.code,
            "permanent": error.permanent,
            "status": error.status,
            "backend": conf.backend_path(),
        },
    )


def deliver_sms_challenge(*, challenge_id: str, generation: int, sealed_code: str) -> str:
    """Send the code of one generation of a challenge, at most once.

    Returns the resulting state ("sent", "failed") or "skipped" when there is
    nothing to do (a newer code replaced this one, or it was already sent).
    """
    claimed = SmsChallenge.objects.filter(
        pk=challenge_id, generation=generation, send_state=SendState.QUEUED
    ).update(send_state=SendState.SENDING)
    if not claimed:
        return "skipped"
    challenge = SmsChallenge.objects.get(pk=challenge_id)
    if challenge.decoy:
        # Looks like a send to the visitor; nothing leaves the portal.
        _mark_sent(challenge, generation, provider_id="")
        return SendState.SENT
    if challenge.used_at is not None or timezone.now() >= challenge.expires_at:
        _mark_failed(
            challenge_id, generation, SmsError("code expired before sending", False, code="expired")
        )
        return SendState.FAILED
    try:
        text = sms_text(
            code=decrypt(sealed_code), language=challenge.language, purpose=challenge.purpose
        )
        provider_id = get_sms_backend().send(to=decrypt(challenge.phone_protected), text=text)
    except SmsError as exc:
        _mark_failed(challenge_id, generation, exc)
        return SendState.FAILED
    except Exception:  # a bug or a broken backend: the user must not wait forever
        logger.exception("sms: sending challenge %s failed", challenge_id)
        _mark_failed(challenge_id, generation, SmsError("internal error", code="internal"))
        return SendState.FAILED
    _mark_sent(challenge, generation, provider_id=provider_id)
    return SendState.SENT


def _mark_sent(challenge: SmsChallenge, generation: int, *, provider_id: str) -> None:
    SmsChallenge.objects.filter(pk=challenge.pk, generation=generation).update(
        send_state=SendState.SENT, provider_id=provider_id[:128], sent_at=timezone.now()
    )
    if challenge.decoy:
        return
    record(
        action="sms.code_sent",
        result="success",
        subject=challenge.username,
        subject_guid=challenge.user_guid,
        details={
            "display": challenge.display,
            "provider_id": provider_id,
            "backend": conf.backend_path(),
        },
    )
