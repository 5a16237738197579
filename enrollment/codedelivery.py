"""Getting a one-time code to the user, for every code service: queued after
commit, sent by the service's Celery task, at most once per generation.

The code itself never touches the database: it travels to the task sealed
(encrypted with enrollment.crypto) as a task argument, and the challenge row
only records how sending went, so the code page can tell the user honestly.
A service gives its way of sending and its audit details; the rows it
writes are ``<prefix>.code_sent`` and ``<prefix>.send_failed``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from audit.service import record

from .crypto import decrypt, encrypt
from .models import SendState

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class CodeDelivery:
    prefix: str  # audit actions "<prefix>.code_sent", "<prefix>.send_failed"
    model: Any  # the service's CodeChallenge subclass
    task: Callable[[], Any]  # () -> the Celery task (challenge_id, generation, sealed_code)
    error: type[Exception]  # the service's send error: .code, .permanent
    make_error: Callable[..., Exception]  # (text, permanent, code=) -> error
    send: Callable[[Any, str], str]  # (challenge, code) -> provider id; raises error
    failed_details: Callable[[Any], dict] = lambda error: {}
    sent_details: Callable[[str], dict] = lambda provider_id: {}
    on_failed: Callable[[Any], None] | None = None  # (challenge) after a failure

    def queue(self, challenge, code: str) -> None:
        """Queue the task that sends ``code`` once the current transaction commits."""
        args = (str(challenge.pk), challenge.generation, encrypt(code))
        transaction.on_commit(lambda: self._enqueue(*args))

    def _enqueue(self, challenge_id: str, generation: int, sealed_code: str) -> None:
        try:
            self.task().delay(challenge_id, generation, sealed_code)
        except Exception:  # the broker is down: say so instead of waiting forever
            logger.error("%s: could not queue the code for challenge %s", self.prefix, challenge_id)
            self.mark_failed(
                challenge_id, generation, self.make_error("queue unavailable", False, code="queue")
            )

    def mark_failed(self, challenge_id: str, generation: int, error) -> None:
        updated = self.model.objects.filter(pk=challenge_id, generation=generation).update(
            send_state=SendState.FAILED, send_permanent=error.permanent, send_error=error.code[:32]
        )
        challenge = self.model.objects.filter(pk=challenge_id).first()
        if not updated or challenge is None:
            return
        if self.on_failed is not None:
            self.on_failed(challenge)
        record(
            action=f"{self.prefix}.send_failed",
            result="error",
            subject=challenge.username,
            subject_guid=challenge.user_guid,
            details={
                "display": challenge.display,
                "error": error.code,
                "permanent": error.permanent,
                **self.failed_details(error),
            },
        )

    def deliver(self, *, challenge_id: str, generation: int, sealed_code: str) -> str:
        """Send the code of one generation of a challenge, at most once.

        Returns the resulting state ("sent", "failed") or "skipped" when there
        is nothing to do (a newer code replaced this one, or it was sent)."""
        claimed = self.model.objects.filter(
            pk=challenge_id, generation=generation, send_state=SendState.QUEUED
        ).update(send_state=SendState.SENDING)
        if not claimed:
            return "skipped"
        challenge = self.model.objects.get(pk=challenge_id)
        if challenge.decoy:
            # Looks like a send to the visitor; nothing leaves the portal.
            self._mark_sent(challenge, generation, provider_id="")
            return SendState.SENT
        if challenge.used_at is not None or timezone.now() >= challenge.expires_at:
            expired = self.make_error("code expired before sending", False, code="expired")
            self.mark_failed(challenge_id, generation, expired)
            return SendState.FAILED
        try:
            provider_id = self.send(challenge, decrypt(sealed_code))
        except self.error as exc:
            self.mark_failed(challenge_id, generation, exc)
            return SendState.FAILED
        except ValueError:  # a key rotated away under a queued code
            self.mark_failed(
                challenge_id, generation, self.make_error("cannot decrypt", True, code="key")
            )
            return SendState.FAILED
        except Exception:  # a bug or a broken backend: the user must not wait forever
            logger.exception("%s: sending challenge %s failed", self.prefix, challenge_id)
            self.mark_failed(
                challenge_id, generation, self.make_error("internal error", False, code="internal")
            )
            return SendState.FAILED
        self._mark_sent(challenge, generation, provider_id=provider_id or "")
        return SendState.SENT

    def _mark_sent(self, challenge, generation: int, *, provider_id: str) -> None:
        fields = {"send_state": SendState.SENT, "sent_at": timezone.now()}
        if hasattr(challenge, "provider_id"):
            fields["provider_id"] = provider_id[:128]
        self.model.objects.filter(pk=challenge.pk, generation=generation).update(**fields)
        if challenge.decoy:
            return
        record(
            action=f"{self.prefix}.code_sent",
            result="success",
            subject=challenge.username,
            subject_guid=challenge.user_guid,
            details={"display": challenge.display, **self.sent_details(provider_id)},
        )
