"""Getting a code to the mailbox: queued after commit, sent by a Celery task.

The code itself never touches the database: it travels to the task sealed
(encrypted with enrollment.crypto) as a task argument, and the row only
records how sending went, so the code page can tell the user honestly.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone

from audit.service import record
from enrollment.crypto import decrypt, encrypt

from . import conf
from .limits import forget_cooldown
from .models import MailChallenge, SendState
from .transport import MailError, render_mail, send_mail_now

logger = logging.getLogger("portal.mailcode")


def queue_delivery(challenge: MailChallenge, code: str) -> None:
    """Queue the task that e-mails ``code`` once the current transaction commits."""
    args = (str(challenge.pk), challenge.generation, encrypt(code))
    transaction.on_commit(lambda: _enqueue(*args))


def _enqueue(challenge_id: str, generation: int, sealed_code: str) -> None:
    from .tasks import deliver_mail_code

    try:
        deliver_mail_code.delay(challenge_id, generation, sealed_code)
    except Exception:  # the broker is down: say so instead of waiting forever
        logger.error("e-mail code task could not be queued for challenge %s", challenge_id)
        _mark_failed(challenge_id, generation, MailError("queue unavailable", code="queue"))


def _mark_failed(challenge_id: str, generation: int, error: MailError) -> None:
    updated = MailChallenge.objects.filter(pk=challenge_id, generation=generation).update(
        send_state=SendState.FAILED, send_permanent=error.permanent, send_error=error.code[:32]
    )
    challenge = MailChallenge.objects.filter(pk=challenge_id).first()
    if not updated or challenge is None:
        return
    if challenge.address_protected:
        try:
            forget_cooldown(decrypt(challenge.address_protected))
        except ValueError:
            pass
    record(
        action="email.send_failed",
        result="error",
        subject=challenge.username,
        subject_guid=challenge.user_guid,
        details={"display": challenge.display, "error": error.code, "permanent": error.permanent},
    )


def code_mail(*, code: str, purpose: str, language: str) -> tuple[str, str, str]:
    """(subject, text, html) of the message with the code."""
    minutes = max(1, conf.code_validity_seconds() // 60)
    return render_mail(
        "code",
        {"code": code, "minutes": minutes, "purpose": purpose.split(":", 1)[0]},
        language=language,
    )


def deliver_mail_challenge(*, challenge_id: str, generation: int, sealed_code: str) -> str:
    """E-mail the code of one generation of a challenge, at most once.

    Returns the resulting state ("sent", "failed") or "skipped" when there is
    nothing to do (a newer code replaced this one, or it was already sent).
    """
    claimed = MailChallenge.objects.filter(
        pk=challenge_id, generation=generation, send_state=SendState.QUEUED
    ).update(send_state=SendState.SENDING)
    if not claimed:
        return "skipped"
    challenge = MailChallenge.objects.get(pk=challenge_id)
    if challenge.decoy:
        # Looks like a send to the visitor; nothing leaves the portal.
        _mark_sent(challenge, generation)
        return SendState.SENT
    if challenge.used_at is not None or timezone.now() >= challenge.expires_at:
        _mark_failed(challenge_id, generation, MailError("expired before sending", code="expired"))
        return SendState.FAILED
    try:
        subject, text, html = code_mail(
            code=decrypt(sealed_code), purpose=challenge.purpose, language=challenge.language
        )
        send_mail_now(
            to=decrypt(challenge.address_protected), subject=subject, text=text, html=html
        )
    except MailError as exc:
        _mark_failed(challenge_id, generation, exc)
        return SendState.FAILED
    except ValueError:  # a key rotated away under a queued code
        _mark_failed(challenge_id, generation, MailError("cannot decrypt", True, code="key"))
        return SendState.FAILED
    except Exception:  # a bug or a broken backend: the user must not wait forever
        logger.exception("e-mail for challenge %s failed", challenge_id)
        _mark_failed(challenge_id, generation, MailError("internal error", code="internal"))
        return SendState.FAILED
    _mark_sent(challenge, generation)
    return SendState.SENT


def _mark_sent(challenge: MailChallenge, generation: int) -> None:
    MailChallenge.objects.filter(pk=challenge.pk, generation=generation).update(
        send_state=SendState.SENT, sent_at=timezone.now()
    )
    if challenge.decoy:
        return
    record(
        action="email.code_sent",
        result="success",
        subject=challenge.username,
        subject_guid=challenge.user_guid,
        details={"display": challenge.display},
    )
