"""Keys written straight to the database, for tests that need no browser."""

from __future__ import annotations

import secrets

from enrollment.services import save_enrollment
from services.passkey.models import PasskeyCredential


def add_key(user, name: str, **fields) -> PasskeyCredential:
    enrollment = save_enrollment(
        request=None,
        user_guid=user.guid,
        username=user.username,
        service="passkey",
        display=name,
    )
    return PasskeyCredential.objects.create(
        enrollment=enrollment,
        user_guid=user.guid,
        name=name,
        credential_id=secrets.token_urlsafe(32),
        public_key=b"\xa5",
        user_handle="aGFuZGxl",
        **fields,
    )
