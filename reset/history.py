"""The portal's password history: refuse a reset to a password the portal set
before, when the directory does not check history on an admin reset (Samba
4.17 ignores the policy hints control; Windows 2012 R2+ applies it).

Only passwords written through the portal are known here; the directory's own
history still applies to the user's own change.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.conf import settings
from django.db import transaction
from django.utils.crypto import constant_time_compare

from .models import PasswordHistory


def _iterations() -> int:
    return int(getattr(settings, "RESET_HISTORY_ITERATIONS", 600_000))


def _digest(password: str, *, salt: str, iterations: int) -> str:
    pepper = hashlib.sha256(f"password-history:{settings.SECRET_KEY}".encode()).digest()
    raw = hashlib.pbkdf2_hmac(
        "sha256", password.encode("utf-8", "surrogatepass"), salt.encode(), iterations
    )
    return hmac.new(pepper, raw, hashlib.sha256).hexdigest()


def password_digest(*, user_guid: str, password: str) -> tuple[PasswordHistory | None, str]:
    """The user's history row (None if none yet) and the password's digest
    under its salt: computed once, used to check and then to remember."""
    row = PasswordHistory.objects.filter(user_guid=user_guid).first()
    if row is None:
        return None, ""
    return row, _digest(password, salt=row.salt, iterations=row.iterations)


def was_used(*, row: PasswordHistory | None, digest: str, depth: int) -> bool:
    """Whether ``digest`` is among the newest ``depth`` remembered passwords."""
    if row is None or depth <= 0:
        return False
    return any(constant_time_compare(digest, old) for old in row.hashes[:depth])


@transaction.atomic
def remember_password(*, user_guid: str, password: str, depth: int, digest: str = "") -> None:
    """Keep the newest ``depth`` passwords the portal set for the user.
    ``digest`` from ``password_digest`` saves hashing the password again."""
    if not user_guid:
        return
    if depth <= 0:
        PasswordHistory.objects.filter(user_guid=user_guid).delete()
        return
    row = PasswordHistory.objects.select_for_update().filter(user_guid=user_guid).first()
    if row is None:
        row = PasswordHistory(
            user_guid=user_guid, salt=secrets.token_hex(16), iterations=_iterations()
        )
    if not digest or row.pk is None:
        digest = _digest(password, salt=row.salt, iterations=row.iterations)
    row.hashes = [digest, *[h for h in row.hashes if h != digest]][:depth]
    row.save()
