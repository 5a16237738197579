"""Services for one-time code challenges, for every code service (Mobilkod,
E-postkod): ask for a code, send it again, check it, say how sending went.

A service describes itself once in a ``CodeChannel`` (its challenge model,
its settings, limits, messages, masks and delivery) and calls its methods.
Each writes its own audit rows (``<prefix>.code_requested``,
``<prefix>.code_verified``, ``<prefix>.code_failed``). A challenge is bound to
its purpose, its user and the browser session that asked for it.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language

from audit.service import record

from . import onetime
from .crypto import decrypt, encrypt
from .models import SendState


class Cooldown(Exception):
    """A new code was asked for too soon after the last one. Each service
    subclasses it and sets ``message_for`` (its messages)."""

    message_for: Callable[..., str] | None = None

    def __init__(self, seconds_left: int) -> None:
        super().__init__(seconds_left)
        self.seconds_left = seconds_left

    @property
    def message(self) -> str:
        return type(self).message_for("cooldown", count=self.seconds_left)


def purpose_kind(purpose: str) -> str:
    return purpose.split(":", 1)[0]


@dataclass(frozen=True)
class CodeChannel:
    prefix: str  # audit actions "<prefix>.code_requested", ...
    model: Any  # a subclass of enrollment.models.CodeChallenge with destination_field
    namespace: str  # the code hash's key (enrollment.onetime.hash_code)
    binding_key: str  # the session key of the binding token
    conf: Any  # code_length, code_validity_seconds, code_max_attempts,
    # resend_cooldown_seconds, challenge_retention_seconds
    error: type[onetime.CodeError]
    cooldown_error: type[Cooldown]
    limits: (
        Any  # check_send(request=, user_guid=, username=, <destination_arg>=, decoy=), check_verify
    )
    destination_arg: str  # the name check_send takes the destination by ("phone_e164")
    queue_delivery: Callable[[Any, str], None]  # (challenge, code) after commit
    mask: Callable[[str], str]
    decoy_mask: Callable[[str], str]
    message: Callable[..., str]
    status_param: str  # the send messages' parameter: "phone", "address"

    # --- codes --------------------------------------------------------------------
    def new_code(self) -> str:
        return onetime.new_code(self.conf.code_length())

    def hash_code(self, *, challenge_id: str, generation: int, code: str) -> str:
        return onetime.hash_code(
            namespace=self.namespace, challenge_id=challenge_id, generation=generation, code=code
        )

    def normalize_code(self, text: str) -> str:
        return onetime.normalize_code(text, length=self.conf.code_length(), error=self.error)

    def session_binding(self, request) -> str:
        return onetime.session_binding(request, session_key=self.binding_key)

    def _new_code_on(self, challenge) -> str:
        code = self.new_code()
        now = timezone.now()
        challenge.code_hash = self.hash_code(
            challenge_id=str(challenge.pk), generation=challenge.generation, code=code
        )
        challenge.code_sent_at = now
        challenge.expires_at = now + timedelta(seconds=self.conf.code_validity_seconds())
        challenge.attempts = 0
        challenge.used_at = None
        challenge.send_state = SendState.QUEUED
        challenge.send_permanent = False
        challenge.send_error = ""
        challenge.sent_at = None
        if hasattr(challenge, "provider_id"):
            challenge.provider_id = ""
        return code

    def _check_send(self, request, *, user_guid: str, username: str, to: str, decoy: bool):
        self.limits.check_send(
            request=request,
            user_guid=user_guid,
            username=username,
            decoy=decoy,
            **{self.destination_arg: to},
        )

    # --- asking for a code ----------------------------------------------------------
    def start(
        self,
        *,
        request,
        purpose: str,
        user_guid: str,
        username: str,
        to: str | None,
        decoy_name: str = "",
    ):
        """Make a code for ``purpose`` and queue it for ``to``. With ``to=None``
        (an unknown user, or one without the service, in a proof flow) the
        challenge is a decoy, its mask made from ``decoy_name`` (the name as
        typed) or else ``username``. Raises the service's rate-limit error."""
        decoy = not (user_guid and to)
        self._check_send(request, user_guid=user_guid, username=username, to=to or "", decoy=decoy)
        challenge = self.model(
            purpose=purpose,
            user_guid=user_guid,
            username=username[:256],
            binding_hash=self.session_binding(request),
            decoy=decoy,
            display=self.decoy_mask(decoy_name or username) if decoy else self.mask(to),
            language=(get_language() or "sv")[:8],
            **{self.model.destination_field: "" if decoy else encrypt(to)},
        )
        code = self._new_code_on(challenge)
        with transaction.atomic():
            challenge.save()
            self._record_requested(request, challenge, resend=False)
            self.queue_delivery(challenge, code)
        return challenge

    def cooldown_left(self, challenge) -> int:
        """Seconds before another code may be sent (0 after a failed send)."""
        return onetime.seconds_until_resend(
            sent_at=challenge.code_sent_at,
            cooldown=self.conf.resend_cooldown_seconds(),
            failed=challenge.failed,
        )

    def resend(self, *, request, challenge):
        """Replace the challenge's code with a new one and queue it. Raises the
        service's cooldown and rate-limit errors."""
        wait = self.cooldown_left(challenge)
        if wait:
            raise self.cooldown_error(wait)
        protected = getattr(challenge, self.model.destination_field)
        self._check_send(
            request,
            user_guid=challenge.user_guid,
            username=challenge.username,
            to="" if challenge.decoy else decrypt(protected),
            decoy=challenge.decoy,
        )
        challenge.generation += 1
        code = self._new_code_on(challenge)
        with transaction.atomic():
            challenge.save()
            self._record_requested(request, challenge, resend=True)
            self.queue_delivery(challenge, code)
        return challenge

    def _record_requested(self, request, challenge, *, resend: bool) -> None:
        details = {
            "purpose": purpose_kind(challenge.purpose),
            "display": challenge.display,
            "resend": resend,
        }
        if challenge.decoy:
            details["decoy"] = True
        record(
            action=f"{self.prefix}.code_requested",
            result="info",
            request=request,
            subject=challenge.username,
            subject_guid=challenge.user_guid,
            details=details,
        )

    def get(self, request, challenge_id, *, purpose, user_guid, for_update: bool = False):
        """The challenge with this id if it was made in this session (and for
        this purpose and user, unless None is given); None otherwise: another
        session's challenge is never found."""
        try:
            challenge_id = uuid.UUID(str(challenge_id))
        except ValueError:
            return None
        objects = self.model.objects
        queryset = objects.select_for_update() if for_update else objects
        challenge = queryset.filter(
            pk=challenge_id, binding_hash=self.session_binding(request)
        ).first()
        if challenge is None:
            return None
        if purpose is not None and challenge.purpose != purpose:
            return None
        if user_guid is not None and challenge.user_guid != user_guid:
            return None
        return challenge

    # --- checking a code -------------------------------------------------------------
    def verify(self, *, request, challenge_id, purpose: str, user_guid: str, username: str, code):
        """Accept the typed ``code`` for the challenge, once; return the challenge.

        Raises the service's CodeError: a malformed code (not counted as a
        try), or a wrong, expired, used or unknown one (audited; wrong ones
        count toward the limit of tries). Raises its rate-limit error. Call it
        outside any transaction: a wrong try must be saved though an error is
        raised."""
        digits = self.normalize_code(code)
        self.limits.check_verify(request=request, user_guid=user_guid, username=username)
        with transaction.atomic():
            challenge = self.get(
                request, challenge_id, purpose=purpose, user_guid=user_guid, for_update=True
            )
            error = onetime.judge_code(
                challenge,
                digits=digits,
                namespace=self.namespace,
                max_attempts=self.conf.code_max_attempts(),
                error=self.error,
            )
            if error is None:
                record(
                    action=f"{self.prefix}.code_verified",
                    result="success",
                    request=request,
                    subject=challenge.username,
                    subject_guid=challenge.user_guid,
                    details={"purpose": purpose_kind(purpose), "display": challenge.display},
                )
                return challenge
            details = {"purpose": purpose_kind(purpose), "reason": error.code}
            if challenge is not None:
                details |= {"display": challenge.display, "attempts": challenge.attempts}
            record(
                action=f"{self.prefix}.code_failed",
                result="failure",
                request=request,
                subject=challenge.username if challenge else username,
                subject_guid=user_guid,
                details=details,
            )
        raise error

    def status_of(self, challenge) -> dict:
        """What the code page shows about sending, also served as JSON."""
        if challenge.failed:
            key = "send_failed_permanent" if challenge.send_permanent else "send_failed_temporary"
            level = "error"
        elif challenge.pending:
            key, level = "send_queued", "info"
        else:
            key, level = "send_sent", "info"
        return {
            "state": challenge.send_state,
            "permanent": challenge.send_permanent,
            "level": level,
            "message": self.message(key, **{self.status_param: challenge.display}),
            "resend_in": self.cooldown_left(challenge),
        }

    def prune(self, *, older_than_seconds: int | None = None) -> int:
        """Delete challenges created longer ago than the retention; returns how many."""
        seconds = (
            self.conf.challenge_retention_seconds()
            if older_than_seconds is None
            else older_than_seconds
        )
        cutoff = timezone.now() - timedelta(seconds=seconds)
        count, _ = self.model.objects.filter(created_at__lt=cutoff).delete()
        return count
