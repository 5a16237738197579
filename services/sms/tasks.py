"""Celery tasks of Mobilkod (named ``sms.<action>``). Thin: each loads what it needs
by id and calls a service."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="sms.deliver_code", ignore_result=True)
def deliver_sms_code(challenge_id: str, generation: int, sealed_code: str) -> str:
    """Send one generation of an SMS challenge's code (sealed: encrypted)."""
    from .delivery import deliver_sms_challenge

    return deliver_sms_challenge(
        challenge_id=challenge_id, generation=generation, sealed_code=sealed_code
    )


@shared_task(name="sms.send_notice", ignore_result=True)
def send_sms_notice(
    user_guid: str, text: str, kind: str = "notice", protected_value: str = ""
) -> bool:
    """Send a notice (no secrets in ``text``) to the user's enrolled number, or
    to ``protected_value`` (an encrypted number, e.g. the one just replaced)."""
    from .notices import send_sms_notice as send

    return send(user_guid=user_guid, text=text, kind=kind, protected_value=protected_value)


@shared_task(name="sms.prune_challenges", ignore_result=True)
def prune_sms_challenges() -> int:
    """Remove old SMS challenges (daily, from celery beat)."""
    from .challenges import prune_sms_challenges as prune

    return prune()
