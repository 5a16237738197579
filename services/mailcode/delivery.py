"""Getting a code to the mailbox: the core's code delivery
(``enrollment.codedelivery``: queued after commit, sent once by a Celery
task, the code sealed on the way) with Django's EMAIL_BACKEND as the way to
send (``transport``: retries, failures sorted into "later" and "never")."""

from __future__ import annotations

from enrollment.codedelivery import CodeDelivery
from enrollment.crypto import decrypt

from . import conf
from .limits import forget_cooldown
from .models import MailChallenge
from .transport import MailError, render_mail, send_mail_now


def code_mail(*, code: str, purpose: str, language: str) -> tuple[str, str, str]:
    """(subject, text, html) of the message with the code."""
    minutes = max(1, conf.code_validity_seconds() // 60)
    return render_mail(
        "code",
        {"code": code, "minutes": minutes, "purpose": purpose.split(":", 1)[0]},
        language=language,
    )


def _send(challenge: MailChallenge, code: str) -> str:
    subject, text, html = code_mail(
        code=code, purpose=challenge.purpose, language=challenge.language
    )
    send_mail_now(to=decrypt(challenge.address_protected), subject=subject, text=text, html=html)
    return ""


def _forget_cooldown(challenge: MailChallenge) -> None:
    """A code that was not sent bombed nobody: the user may ask again at once."""
    if challenge.address_protected:
        try:
            forget_cooldown(decrypt(challenge.address_protected))
        except ValueError:
            pass


def _task():
    from .tasks import deliver_mail_code

    return deliver_mail_code


DELIVERY = CodeDelivery(
    prefix="email",
    model=MailChallenge,
    task=_task,
    error=MailError,
    make_error=lambda text, permanent, code: MailError(text, permanent, code=code),
    send=_send,
    on_failed=_forget_cooldown,
)
queue_delivery = DELIVERY.queue


def deliver_mail_challenge(*, challenge_id: str, generation: int, sealed_code: str) -> str:
    """E-mail the code of one generation of a challenge, at most once."""
    return DELIVERY.deliver(
        challenge_id=challenge_id, generation=generation, sealed_code=sealed_code
    )
