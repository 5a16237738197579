"""Logging in with the directory password."""

from __future__ import annotations

from django.conf import settings

from audit.service import client_ip, record

from . import ratelimit
from .directory import DirectoryError, get_directory
from .users import sync_local_user

MAX_USERNAME_LENGTH = 256


class LoginRateLimited(DirectoryError):
    code = "rate_limited"
    permanent = False


def authenticate_user(*, request, username: str, password: str):
    """Check the password against the directory and return the local user.

    Raises a DirectoryError subclass (mapped to a message by the view); every
    attempt is written to the audit trail.
    """
    username = (username or "").strip()[:MAX_USERNAME_LENGTH]
    ip = client_ip(request) or ""
    limits = settings.LOGIN_RATE_LIMITS
    if not (
        ratelimit.hit("login-ip", ip, limit=limits["ip"], window=limits["window"])
        and ratelimit.hit("login-user", username, limit=limits["user"], window=limits["window"])
    ):
        record(
            action="login",
            result="denied",
            request=request,
            subject=username,
            details={"reason": "rate_limited"},
        )
        raise LoginRateLimited()
    try:
        dir_user = get_directory().authenticate(username, password)
    except DirectoryError as exc:
        record(
            action="login",
            result="failure",
            request=request,
            subject=username,
            details={"reason": exc.code, "detail": exc.detail},
        )
        raise
    user = sync_local_user(dir_user)
    record(
        action="login",
        result="success",
        request=request,
        subject=dir_user.username,
        subject_guid=dir_user.guid,
        actor=dir_user.username,
    )
    return user
