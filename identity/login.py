"""Logging in with the directory password."""

from __future__ import annotations

import secrets

from audit.service import client_ip, record

from . import conf, protection, throttle
from .directory import DirectoryError, get_directory
from .users import sync_local_user

MAX_USERNAME_LENGTH = 256


class LoginRateLimited(DirectoryError):
    code = "rate_limited"
    permanent = False


def address_limit(request) -> throttle.Limit:
    """Login attempts per address, in the login window."""
    limits = conf.login_rate_limits()
    address = protection.address_subject(client_ip(request) or "")
    return throttle.Limit("login-ip", address, limits["ip"], limits["window"])


def account_limit(subject: str) -> throttle.Limit:
    """Failed logins per account (every spelling of its name counts as one)."""
    limits = conf.login_rate_limits()
    return throttle.Limit("login-account", subject, limits["user"], limits["window"])


def _subject(username: str) -> str:
    """The account the name belongs to when the directory knows it, else the
    folded name: ``anna``, ``ANNA`` and ``anna@demo.local`` share one budget."""
    try:
        found = get_directory().find_user(username) if username else None
    except DirectoryError:
        found = None
    return protection.account_subject(user_guid=found.guid if found else "", username=username)


def authenticate_user(*, request, username: str, password: str):
    """Check the password against the directory and return the local user.

    Raises a DirectoryError subclass (mapped to a message by the view); every
    attempt is written to the audit trail. A login attempt is counted before
    the directory is asked and given back when it succeeds, so the per-account
    limit counts failures and a parallel burst gets no more than the limit
    to the password check.
    """
    username = (username or "").strip()[:MAX_USERNAME_LENGTH]
    token = secrets.token_hex(8)
    try:
        # The address first: a flood it refuses costs no directory search.
        protection.check_rate(
            [address_limit(request)], request=request, action="login", subject=username
        )
        account = account_limit(_subject(username))
        protection.check_rate(
            [account], request=request, action="login", subject=username, token=token
        )
    except protection.Refused as exc:
        raise LoginRateLimited(detail=exc.scope) from None
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
    throttle.release(account, token)
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
