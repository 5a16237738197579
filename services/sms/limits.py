"""Rate limits on sending and checking codes (shared by every process via the cache)."""

from __future__ import annotations

from audit.service import client_ip, record
from identity import ratelimit

from . import conf


class SmsRateLimited(Exception):
    """Too many codes asked for or tried; ``code`` keys the message."""

    def __init__(self, code: str, scope: str) -> None:
        super().__init__(code)
        self.code = code
        self.scope = scope

    @property
    def message(self) -> str:
        from .messages import message

        return message(self.code)


def subject_key(*, user_guid: str, username: str) -> str:
    # An unknown user (no GUID) is limited by the name typed, like a known one.
    return user_guid or f"name:{(username or '').casefold()}"


def _enforce(
    checks: list[tuple[str, str, str]], *, code: str, request, user_guid: str, username: str
) -> None:
    for scope, value, name in checks:
        limit, window = conf.rate_limit(name)
        if ratelimit.is_limited(scope, value, limit=limit, window=window):
            record(
                action="sms.rate_limited",
                result="denied",
                request=request,
                subject=username,
                subject_guid=user_guid,
                details={"scope": name},
            )
            raise SmsRateLimited(code, name)
    for scope, value, name in checks:
        limit, window = conf.rate_limit(name)
        ratelimit.hit(scope, value, limit=limit, window=window)


def _origin_key(request) -> str:
    """Whom the per-address limits count: the client's IP address, or for
    helpdesk staff (who all sit behind one office address and check callers
    all day) the staff member."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.is_staff:
        return f"staff:{user.pk}"
    return client_ip(request) or ""


def check_send(*, request, user_guid: str, username: str, phone_e164: str = "") -> None:
    """Count one code sent; raise SmsRateLimited (audited) when over a limit
    per user, per IP address or per phone number."""
    checks = [
        ("sms-send-user", subject_key(user_guid=user_guid, username=username), "send_user"),
        ("sms-send-ip", _origin_key(request), "send_ip"),
    ]
    if phone_e164:
        checks.append(("sms-send-number", phone_e164, "send_number"))
    _enforce(
        checks, code="rate_limited_send", request=request, user_guid=user_guid, username=username
    )


def check_verify(*, request, user_guid: str, username: str) -> None:
    """Count one typed code; raise SmsRateLimited (audited) when over a limit."""
    checks = [
        ("sms-verify-user", subject_key(user_guid=user_guid, username=username), "verify_user"),
        ("sms-verify-ip", _origin_key(request), "verify_ip"),
    ]
    _enforce(
        checks, code="rate_limited_verify", request=request, user_guid=user_guid, username=username
    )
