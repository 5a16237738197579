"""Getting a code to the phone: the core's code delivery
(``enrollment.codedelivery``: queued after commit, sent once by a Celery
task, the code sealed on the way) with an SMS gateway as the way to send."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from enrollment.codecaller import PURPOSE as HELPDESK_PURPOSE
from enrollment.codedelivery import CodeDelivery
from enrollment.crypto import decrypt

from . import conf
from .gateways import SmsError, get_sms_backend
from .models import SmsChallenge


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


def _send(challenge: SmsChallenge, code: str) -> str:
    text = sms_text(code=code, language=challenge.language, purpose=challenge.purpose)
    return get_sms_backend().send(to=decrypt(challenge.phone_protected), text=text)


def _task():
    from .tasks import deliver_sms_code

    return deliver_sms_code


DELIVERY = CodeDelivery(
    prefix="sms",
    model=SmsChallenge,
    task=_task,
    error=SmsError,
    make_error=lambda text, permanent, code: SmsError(text, permanent, code=code),
    send=_send,
    failed_details=lambda error: {
        "status": getattr(error, "status", None),
        "backend": conf.backend_path(),
    },
    sent_details=lambda provider_id: {"provider_id": provider_id, "backend": conf.backend_path()},
)
queue_delivery = DELIVERY.queue


def deliver_sms_challenge(*, challenge_id: str, generation: int, sealed_code: str) -> str:
    """Send the code of one generation of a challenge, at most once."""
    return DELIVERY.deliver(
        challenge_id=challenge_id, generation=generation, sealed_code=sealed_code
    )
