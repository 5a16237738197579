"""One-time codes sent to something the user holds (a phone, a private mailbox):
the pieces every code service shares, so that each sends its own way but
makes, stores, reads and judges a code the same way.

* a code is random digits (leading zeros kept), stored only as an HMAC bound
  to its challenge and generation, and compared in constant time;
* what the user typed is read forgivingly (spaces, dashes, full-width digits);
* a challenge is bound to the browser session that asked for it;
* a typed code is judged in one order: not found, used, expired, used up,
  right, else wrong (a try);
* a proof with a code inside a proof flow goes through the protection
  service: the lockout first, the try counted before the code is compared.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
import unicodedata
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.crypto import constant_time_compare


class CodeError(ValueError):
    """A code that was not accepted; ``code`` keys the message, ``params``
    fill it in (e.g. the tries left). ``compared``: the typed code was
    compared with the challenge's (a guess), not refused before that.
    Each service subclasses it and sets ``message_for`` (its messages)."""

    compared = False
    message_for: Callable[..., str] | None = None

    def __init__(self, code: str, **params) -> None:
        super().__init__(code)
        self.code = code
        self.params = params

    @property
    def message(self) -> str:
        return type(self).message_for(self.code, **self.params)


def new_code(length: int) -> str:
    """A random code of ``length`` digits (leading zeros kept)."""
    return f"{secrets.randbelow(10**length):0{length}d}"


def _key(namespace: str) -> bytes:
    return hashlib.sha256(f"{namespace}:{settings.SECRET_KEY}".encode()).digest()


def hash_code(*, namespace: str, challenge_id: str, generation: int, code: str) -> str:
    """HMAC-SHA256 of the code bound to one challenge and one generation of it
    (the same digits sent for another challenge hash differently), under a key
    of the service's own (``namespace``, e.g. ``sms-code``)."""
    message = f"{challenge_id}:{generation}:{code}".encode()
    return hmac.new(_key(namespace), message, hashlib.sha256).hexdigest()


def code_matches(
    *, namespace: str, challenge_id: str, generation: int, code: str, code_hash: str
) -> bool:
    expected = hash_code(
        namespace=namespace, challenge_id=challenge_id, generation=generation, code=code
    )
    return constant_time_compare(expected, code_hash)


def normalize_code(text: str, *, length: int, error: type[CodeError] = CodeError) -> str:
    """The digits of a typed code. Spaces (and dashes) between digits are
    forgiven, full-width digits read as digits. Raises ``error``
    (code_empty, code_format, code_length)."""
    text = unicodedata.normalize("NFKC", text or "")
    compact = "".join(ch for ch in text if not ch.isspace() and ch != "-")
    if not compact:
        raise error("code_empty")
    if not all(ch in "0123456789" for ch in compact):
        raise error("code_format")
    if len(compact) != length:
        raise error("code_length", count=length)
    return compact


def session_binding(request, *, session_key: str) -> str:
    """SHA-256 of a random token kept in this session under ``session_key``
    (made on first use): a challenge is only found by the session that made it."""
    token = request.session.get(session_key)
    if not token:
        token = secrets.token_urlsafe(32)
        request.session[session_key] = token
    return hashlib.sha256(token.encode()).hexdigest()


def seconds_until_resend(*, sent_at, cooldown: int, failed: bool) -> int:
    """Seconds before another code may be sent (0 after a failed send)."""
    if failed:
        return 0
    elapsed = (timezone.now() - sent_at).total_seconds()
    return max(0, math.ceil(cooldown - elapsed))


def judge_code(
    challenge: Any, *, digits: str, namespace: str, max_attempts: int, error: type[CodeError]
) -> CodeError | None:
    """Judge ``digits`` against a challenge row (locked by the caller): None
    when right (``used_at`` is set and saved), else the error, with a wrong
    try counted and saved. ``challenge`` None: not found. A decoy never
    matches. The row needs ``pk``, ``generation``, ``code_hash``, ``decoy``,
    ``attempts``, ``expires_at`` and ``used_at``."""
    now = timezone.now()
    if challenge is None:
        return error("code_not_found")
    if challenge.used_at is not None:
        return error("code_used")
    if now >= challenge.expires_at:
        return error("code_expired")
    if challenge.attempts >= max_attempts:
        return error("code_too_many")
    if not challenge.decoy and code_matches(
        namespace=namespace,
        challenge_id=str(challenge.pk),
        generation=challenge.generation,
        code=digits,
        code_hash=challenge.code_hash,
    ):
        challenge.used_at = now
        challenge.save(update_fields=["used_at"])
        return None
    challenge.attempts += 1
    challenge.save(update_fields=["attempts"])
    left = max_attempts - challenge.attempts
    wrong = error("code_wrong", count=left) if left > 0 else error("code_too_many")
    wrong.compared = True  # a guess at a real code (or a decoy's)
    return wrong


def prove_with_code(
    *,
    request,
    flow,
    service_key: str,
    verify: Callable[[], Any],
    refused: Callable[[Exception], Exception],
) -> Any:
    """Run ``verify`` (checks a typed code, raises a CodeError subclass, or
    another error when refused before comparing) as a proof of the flow's account; on success mark
    ``service_key`` proved in the flow and return what ``verify`` returned.

    The account's lockout is checked first and the try is counted on the
    account before the code is compared (``identity.protection``): a wrong
    code is a failed proof of the account whatever page comes next. A
    refused attempt raises ``refused(exc)`` (the service's "locked out")."""
    from identity import protection

    from . import proofs
    from .services import touch_enrollment

    try:
        attempt = protection.begin_proof(
            request=request,
            user_guid=flow.user_guid,
            username=flow.username,
            service=service_key,
            purpose=flow.purpose,
        )
    except protection.Refused as exc:
        raise refused(exc) from None
    try:
        result = verify()
    except CodeError as exc:
        if exc.compared:
            proofs.record_failure(request, flow)
            protection.proof_failed(attempt, request=request, purpose=flow.purpose)
        else:
            # Not a try: nothing was compared (malformed, expired, used up,
            # already used by this flow's own right answer in another tab).
            protection.proof_passed(attempt)
        raise
    except BaseException:
        protection.proof_passed(attempt)  # refused before any code was compared
        raise
    protection.proof_passed(attempt)
    proofs.mark_proved(request, flow, service_key)
    touch_enrollment(user_guid=flow.user_guid, service=service_key)
    return result
