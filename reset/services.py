"""The writes: a new password after a proof, an unlock after a proof, and the
user's own change with the old password. Each writes its audit rows itself.

A flow writes at most once: a lock per flow keeps a second tab out while the
first writes, and a finished flow is marked done (and ended). A refusal by
the directory (policy, history, minimum age) or a directory that does not
answer keeps the flow and its stars, so the user can try again.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.db import transaction

from audit.service import client_ip, record
from enrollment.policy import policy_for
from enrollment.proofs import ProofFlow, end_flow
from enrollment.selectors import enrolled_keys
from identity import throttle
from identity.directory import DirectoryError, DirectoryUser, PolicyViolation, get_directory
from identity.directory.base import MustChangePassword, PasswordExpired, UserNotFound
from identity.login import LoginRateLimited
from identity.policy import Failure, blocking_failures, check_password_policy
from identity.users import end_user_sessions

from . import conf, history, protection
from .flow import ResetRefused, require_proof
from .notify import queue_password_notices


class PasswordRejected(Exception):
    """The portal's own policy refused the new password (nothing was written)."""

    def __init__(self, failures: list[Failure]) -> None:
        super().__init__(", ".join(f.code for f in failures))
        self.failures = failures


@dataclass(frozen=True)
class WriteResult:
    """What a write did: for whom, whether it cleared a lockout, whom it notified."""

    user: DirectoryUser
    was_locked: bool
    unlocked: bool
    notified: tuple[str, ...]


def _audit(request, action: str, result: str, *, flow: ProofFlow, **details) -> None:
    record(
        action=action,
        result=result,
        request=request,
        subject=flow.username,
        subject_guid=flow.user_guid,
        details={"purpose": flow.purpose, "services": sorted(flow.proved), **details},
    )


def check_step(*, request, flow: ProofFlow, step: str) -> None:
    """Refuse (ResetRefused, audited) a step after the proof unless the flow is
    proved and not locked out: a POST straight to a later URL ends here."""
    try:
        require_proof(request=request, flow=flow)
    except ResetRefused as exc:
        if exc.code == "unavailable":  # the directory (and the policy in it) did not answer
            _audit(
                request,
                "reset.failed",
                "error",
                flow=flow,
                step=step,
                reason="directory_unavailable",
            )
        else:
            _audit(request, "reset.failed", "denied", flow=flow, step=step, reason=exc.code)
        raise


def _begin_write(request, flow: ProofFlow, step: str) -> None:
    """Check the step, then take the flow's write lock (refusals are audited)."""
    check_step(request=request, flow=flow, step=step)
    why = protection.acquire_write(flow.id)
    if why:
        _audit(request, "reset.failed", "denied", flow=flow, step=step, reason=why)
        raise ResetRefused(why)


def _current_user(request, flow: ProofFlow, step: str) -> DirectoryUser:
    """The flow's user read now, and their per-group policy read now: the
    write happens only if that policy still allows self-service and the
    proofs still suffice under it (a user put in Domain Admins since the
    proof is refused here, audited)."""
    user = get_directory().get_user(flow.user_guid)
    if user is None or user.disabled:
        raise UserNotFound(detail="gone or disabled since the proof")
    policy = policy_for(user=user)
    if not policy.is_sufficient(flow.proved, enrolled_keys(user.guid)):
        reason = "policy_no_self_service" if not policy.reset_allowed else "policy_not_sufficient"
        _audit(request, "reset.failed", "denied", flow=flow, step=step, reason=reason)
        raise ResetRefused("not_proved")
    return user


def _finish(request, flow: ProofFlow) -> None:
    protection.finish_write(flow.id)
    protection.clear_failures(flow)
    end_flow(request, flow.id)


def reset_password(*, request, flow: ProofFlow, password: str) -> WriteResult:
    """Write ``password`` as an admin reset (history enforced) for the user who
    proved who they are in ``flow``, unlock the account (RESET_UNLOCKS_ACCOUNT),
    end their portal sessions and notify them.

    Raises ResetRefused, PasswordRejected, or the DirectoryError (PolicyViolation
    with AD's reason, DirectoryUnavailable, ...) with the flow kept for a retry.
    """
    _begin_write(request, flow, "password")
    try:
        directory = get_directory()
        user = _current_user(request, flow, "password")
        policy = directory.password_policy()
        failures = blocking_failures(check_password_policy(password, user=user, policy=policy))
        if failures:
            _audit(
                request,
                "reset.failed",
                "failure",
                flow=flow,
                step="password",
                reason="portal_policy",
                rules=[f.code for f in failures],
            )
            raise PasswordRejected(failures)
        keep_history = conf.portal_history(directory)
        row, digest = None, ""
        if keep_history:
            row, digest = history.password_digest(user_guid=user.guid, password=password)
            if history.was_used(row=row, digest=digest, depth=policy.history_length):
                # The directory does not apply history to an admin reset: the portal does.
                raise PolicyViolation(reason="history", detail="portal password history")
        directory.set_password(user, password, enforce_history=True)
    except DirectoryError as exc:
        _audit_directory_error(request, flow, exc, step="password")
        protection.release_write(flow.id)
        raise
    except BaseException:
        protection.release_write(flow.id)
        raise
    unlock_error = ""
    unlocked = False
    if conf.unlocks_account():
        try:
            directory.unlock(user)
            unlocked = True
        except DirectoryError as exc:  # the password is set: that is what counts
            unlock_error = exc.code
    ip = client_ip(request) or ""
    with transaction.atomic():
        _audit(
            request,
            "reset.password_set",
            "success",
            flow=flow,
            was_locked=user.locked,
            unlocked=unlocked,
            unlock_error=unlock_error,
        )
        if keep_history:
            history.remember_password(
                user_guid=user.guid, password=password, depth=policy.history_length, digest=digest
            )
        end_user_sessions(user.guid)
        notified = queue_password_notices(user=user, event="reset", ip=ip)
    _finish(request, flow)
    return WriteResult(
        user=user, was_locked=user.locked, unlocked=unlocked, notified=tuple(notified)
    )


def unlock_account(*, request, flow: ProofFlow) -> WriteResult:
    """Clear the lockout of the user who proved who they are in ``flow``,
    keeping the password. Raises ResetRefused or a DirectoryError (flow kept)."""
    _begin_write(request, flow, "unlock")
    try:
        user = _current_user(request, flow, "unlock")
        get_directory().unlock(user)
    except DirectoryError as exc:
        _audit_directory_error(request, flow, exc, step="unlock")
        protection.release_write(flow.id)
        raise
    except BaseException:
        protection.release_write(flow.id)
        raise
    with transaction.atomic():
        _audit(request, "reset.unlocked", "success", flow=flow, was_locked=user.locked)
        notified = queue_password_notices(user=user, event="unlocked", ip=client_ip(request) or "")
    _finish(request, flow)
    return WriteResult(user=user, was_locked=user.locked, unlocked=True, notified=tuple(notified))


def _audit_directory_error(request, flow: ProofFlow, exc: DirectoryError, *, step: str) -> None:
    reason = exc.code
    if getattr(exc, "reason", ""):
        reason = f"{exc.code}:{exc.reason}"
    _audit(
        request,
        "reset.failed",
        "failure" if exc.permanent else "error",
        flow=flow,
        step=step,
        reason=reason,
        detail=exc.detail[:500],
        flow_kept=True,
    )


def change_password(
    *, request, username: str, old_password: str, new_password: str, keep_session: bool = False
) -> WriteResult:
    """The user's own change with the old password (AD applies history and
    minimum age); works for an expired or must-change password. Rate-limited
    per IP and per username. Ends the user's portal sessions, except this one
    when ``keep_session`` (the logged-in user changing their password).

    Raises LoginRateLimited, PasswordRejected or a DirectoryError.
    """
    username = (username or "").strip()[:256]
    directory = get_directory()
    known: DirectoryUser | None = None
    token = secrets.token_hex(8)
    try:
        known = directory.find_user(username)
        limits = protection.change_limits(
            request=request, user_guid=known.guid if known else "", username=username
        )
        if throttle.attempt(limits, token=token) is not None:
            _audit_change(request, username, "", "denied", reason="rate_limited")
            raise LoginRateLimited()
        # The old password first: until it is right, every answer is the same
        # whatever the new one is (a check of the new password against the
        # account's name would tell that the account exists).
        _check_old_password(directory, username, old_password)
        subject = known or DirectoryUser(guid="", dn="", username=username)
        policy = directory.password_policy()
        failures = blocking_failures(
            check_password_policy(new_password, user=subject, policy=policy)
        )
        if failures:
            _audit_change(
                request,
                username,
                subject.guid,
                "failure",
                reason="portal_policy",
                rules=[f.code for f in failures],
            )
            throttle.release(limits[1], token)  # the old password was right
            raise PasswordRejected(failures)
        user = directory.change_password(username, old_password, new_password)
    except LoginRateLimited:
        raise
    except DirectoryError as exc:
        reason = f"{exc.code}:{exc.reason}" if getattr(exc, "reason", "") else exc.code
        _audit_change(
            request,
            username,
            known.guid if known else "",
            "failure" if exc.permanent else "error",
            reason=reason,
            detail=exc.detail[:500],
        )
        raise
    throttle.release(limits[1], token)
    with transaction.atomic():
        _audit_change(request, user.username, user.guid, "success")
        if conf.portal_history(directory):
            history.remember_password(
                user_guid=user.guid, password=new_password, depth=policy.history_length
            )
        end_user_sessions(user.guid)
        if keep_session and getattr(request, "user", None) and request.user.is_authenticated:
            from django.contrib.auth import update_session_auth_hash

            request.user.refresh_from_db()
            update_session_auth_hash(request, request.user)
        notified = queue_password_notices(user=user, event="changed", ip=client_ip(request) or "")
    return WriteResult(user=user, was_locked=False, unlocked=False, notified=tuple(notified))


def _check_old_password(directory, username: str, old_password: str) -> None:
    """Raise the directory's error unless ``old_password`` is the account's
    password; an expired or must-change password is right (AD says so only
    when the password is)."""
    try:
        directory.authenticate(username, old_password)
    except (PasswordExpired, MustChangePassword):
        return


def _audit_change(request, username: str, guid: str, result: str, **details) -> None:
    record(
        action="password.changed",
        result=result,
        request=request,
        subject=username,
        subject_guid=guid,
        details=details,
    )
