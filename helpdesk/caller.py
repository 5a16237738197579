"""Checking that the caller is the user they say they are.

Each identity service runs its own check (``IdentityService.check_caller``):
Mobilkod sends a code to the enrolled phone that the caller reads back
(``services.sms.caller``); Mobilt BankID asks the caller to identify in the app
while on the phone (``services.bankid.caller``). The helpdesk keeps the outcome
in its session for a while and writes it to the audit trail
(``helpdesk.verify_caller``).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.formats import time_format
from django.utils.translation import gettext as _

from audit.service import record
from enrollment.base import CallerCheck
from enrollment.registry import all_services, get_service
from enrollment.selectors import enrolled_keys, get_enrollment
from enrollment.stars import maturing

from . import guard
from .services import get_directory_user

_SESSION_KEY = "helpdesk_callers"
#: How long a confirmed caller counts as confirmed (e.g. for the unlock that follows).
VERIFIED_SECONDS = 15 * 60


@dataclass(frozen=True)
class Verification:
    method: str
    method_name: str
    verified: bool
    at: float

    @property
    def summary(self) -> str:
        clock = time_format(_local(self.at), "H:i")
        if self.verified:
            return _("Den som ringer bekräftades med %(method)s kl. %(time)s.") % {
                "method": self.method_name,
                "time": clock,
            }
        return _("Kontrollen med %(method)s misslyckades kl. %(time)s.") % {
            "method": self.method_name,
            "time": clock,
        }


def _local(ts: float):
    from datetime import UTC, datetime

    from django.utils import timezone

    return timezone.localtime(datetime.fromtimestamp(ts, tz=UTC))


def _service_name(key: str) -> str:
    service = get_service(key)
    return str(service.name) if service else key


# --- state kept in the helpdesk's session ------------------------------------


def _states(request) -> dict:
    return request.session.get(_SESSION_KEY) or {}


def _state(request, guid: str) -> dict:
    return dict(_states(request).get(guid) or {})


def _save_state(request, guid: str, state: dict) -> None:
    states = {g: s for g, s in _states(request).items() if time.time() - s.get("at", 0) < 3600}
    states[guid] = state
    request.session[_SESSION_KEY] = states


def verification_state(request, guid: str) -> Verification | None:
    """The last finished check of this user's caller, if recent."""
    state = _state(request, guid)
    if "verified" not in state or time.time() - state["at"] > VERIFIED_SECONDS:
        return None
    return Verification(
        method=state["method"],
        method_name=_service_name(state["method"]),
        verified=state["verified"],
        at=state["at"],
    )


def is_verified(request, guid: str) -> bool:
    state = verification_state(request, guid)
    return bool(state and state.verified)


def finish(request, *, user, method: str, verified: bool, reason: str = "") -> None:
    """Remember and audit the outcome of a check."""
    state = _state(request, user.guid)
    state.update(method=method, verified=verified, at=time.time())
    state.pop("challenge", None)
    _save_state(request, user.guid, state)
    details = {"method": method}
    if reason:
        details["reason"] = reason
    record(
        action="helpdesk.verify_caller",
        result="success" if verified else "failure",
        request=request,
        subject=user.username,
        subject_guid=user.guid,
        details=details,
    )


# --- the methods ----------------------------------------------------------------


def available_methods(guid: str) -> list[dict]:
    """The user's enrolled services the helpdesk can check a caller with
    (each service's ``caller_check_label``)."""
    enrolled = enrolled_keys(guid)
    return [
        {
            "key": service.key,
            "label": service.caller_check_label,
            "available": service.caller_check_available(),
        }
        for service in all_services()
        if service.key in enrolled and service.caller_check_label
    ]


def handle(request, *, guid: str, method: str, render):
    """The caller check page of the service ``method`` (``IdentityService.check_caller``)."""
    user = get_directory_user(guid)
    service = get_service(method)
    if service is None or not service.caller_check_label or not service.caller_check_available():
        raise Http404
    enrollment = get_enrollment(user_guid=user.guid, service=method)
    if enrollment is None:
        raise Http404
    if request.method == "POST" and method in maturing(user.guid):
        # Not even a code to a number changed today (it may be a thief's): the
        # quiet period that keeps a new service from resetting on its own
        # keeps it from vouching for a caller too.
        messages.error(request, guard.CheckRefused("young").message)
        return HttpResponseRedirect(_verify_url(user.guid, method))
    return service.check_caller(
        CallerCheck(
            request=request,
            user=user,
            enrollment=enrollment,
            render=render,
            finish=finish,
            guard=guard,
            state=lambda: _state(request, user.guid),
            save_state=lambda state: _save_state(request, user.guid, state),
            url=_verify_url(user.guid, method),
            user_url=reverse("admin:helpdesk_user", args=[user.guid]),
            verification=verification_state(request, user.guid),
        )
    )


def _verify_url(guid: str, method: str) -> str:
    return reverse("admin:helpdesk_verify", kwargs={"guid": guid, "method": method})
