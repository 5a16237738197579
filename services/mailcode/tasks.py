"""Celery tasks of E-postkod (named ``mailcode.<action>``). Thin: each loads what
it needs by id and calls a service."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="mailcode.deliver_code", ignore_result=True)
def deliver_mail_code(challenge_id: str, generation: int, sealed_code: str) -> str:
    """E-mail one generation of a challenge's code (sealed: encrypted)."""
    from .delivery import deliver_mail_challenge

    return deliver_mail_challenge(
        challenge_id=challenge_id, generation=generation, sealed_code=sealed_code
    )


@shared_task(name="mailcode.send_notice", ignore_result=True)
def send_mail_notice(
    user_guid: str, text: str, kind: str = "notice", protected_value: str = "", language: str = ""
) -> bool:
    """E-mail a notice (no secrets in ``text``) to the user's private address,
    or to ``protected_value`` (an encrypted address, e.g. the one just replaced)."""
    from .notices import send_mail_notice as send

    return send(
        user_guid=user_guid,
        text=text,
        kind=kind,
        protected_value=protected_value,
        language=language,
    )


@shared_task(name="mailcode.prune_challenges", ignore_result=True)
def prune_mail_challenges() -> int:
    """Remove old e-mail code challenges (daily, from celery beat)."""
    from .challenges import prune_mail_challenges as prune

    return prune()
