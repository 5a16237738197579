"""Checking that the caller is the user they say they are.

Mobilkod: the portal sends a code to the user's enrolled phone (the SMS
service's own challenge, bound to the helpdesk's session), the caller reads it
back and the helpdesk types it in. Mobilt BankID: the caller identifies with
BankID while on the phone (``caller_bankid``). The outcome stays in the
helpdesk's session for a while and is written to the audit trail
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
from enrollment.crypto import decrypt
from enrollment.models import Enrollment
from enrollment.registry import get_service

from . import caller_bankid
from .forms import CallerCodeForm
from .services import get_directory_user

_SESSION_KEY = "helpdesk_callers"
#: How long a confirmed caller counts as confirmed (e.g. for the unlock that follows).
VERIFIED_SECONDS = 15 * 60
SMS_PURPOSE = "helpdesk"


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
    """The user's enrolled services the helpdesk can check a caller with."""
    enrolled = set(Enrollment.objects.filter(user_guid=guid).values_list("service", flat=True))
    methods = []
    if "sms" in enrolled:
        methods.append({"key": "sms", "label": _("Skicka en kod med Mobilkod"), "available": True})
    if "bankid" in enrolled:
        methods.append(
            {
                "key": "bankid",
                "label": _("Identifiera med Mobilt BankID"),
                "available": caller_bankid.available(),
            }
        )
    return methods


def handle(request, *, guid: str, method: str, render):
    user = get_directory_user(guid)
    if method == "sms":
        return _handle_sms(request, user=user, render=render)
    if method == "bankid" and caller_bankid.available():
        return caller_bankid.handle(request, user=user, render=render, finish=finish)
    raise Http404


def _record_wrong_code(request, user) -> None:
    record(
        action="helpdesk.verify_caller",
        result="failure",
        request=request,
        subject=user.username,
        subject_guid=user.guid,
        details={"method": "sms", "reason": "code_wrong"},
    )


def _verify_url(guid: str, method: str) -> str:
    return reverse("admin:helpdesk_verify", kwargs={"guid": guid, "method": method})


def _handle_sms(request, *, user, render):
    from services.sms import challenges
    from services.sms.codes import CodeError
    from services.sms.limits import SmsRateLimited

    enrollment = Enrollment.objects.filter(user_guid=user.guid, service="sms").first()
    if enrollment is None:
        raise Http404
    state = _state(request, user.guid)
    challenge = None
    if state.get("challenge"):
        challenge = challenges.get_challenge(
            request, state["challenge"], purpose=SMS_PURPOSE, user_guid=user.guid
        )
    form = CallerCodeForm(request.POST if request.POST.get("action") == "check" else None)
    action = request.POST.get("action") if request.method == "POST" else ""
    try:
        if action == "send":
            challenge = challenges.start_sms_challenge(
                request=request,
                purpose=SMS_PURPOSE,
                user_guid=user.guid,
                username=user.username,
                phone_e164=decrypt(enrollment.protected_value),
            )
            # A new code starts a new check: an earlier outcome no longer counts.
            _save_state(request, user.guid, {"challenge": str(challenge.pk), "at": time.time()})
            record(
                action="helpdesk.verify_caller",
                result="info",
                request=request,
                subject=user.username,
                subject_guid=user.guid,
                details={"method": "sms", "step": "code_sent", "display": challenge.display},
            )
            return HttpResponseRedirect(_verify_url(user.guid, "sms"))
        if action == "resend" and challenge is not None:
            challenges.resend_sms_code(request=request, challenge=challenge)
            return HttpResponseRedirect(_verify_url(user.guid, "sms"))
        if action == "check" and challenge is not None and form.is_valid():
            try:
                challenges.verify_sms_code(
                    request=request,
                    challenge_id=challenge.pk,
                    purpose=SMS_PURPOSE,
                    user_guid=user.guid,
                    username=user.username,
                    code=form.cleaned_data["code"],
                )
            except CodeError as exc:
                if exc.code in {"code_empty", "code_format", "code_length", "code_wrong"}:
                    # A slip of the tongue or the keyboard: the same code may be tried again.
                    form.add_error("code", exc.message)
                    if exc.code == "code_wrong":
                        _record_wrong_code(request, user)
                else:
                    finish(request, user=user, method="sms", verified=False, reason=exc.code)
                    messages.error(request, exc.message)
                    return HttpResponseRedirect(_verify_url(user.guid, "sms"))
            else:
                finish(request, user=user, method="sms", verified=True)
                return HttpResponseRedirect(reverse("admin:helpdesk_user", args=[user.guid]))
    except (SmsRateLimited, challenges.SmsCooldown) as exc:
        messages.error(request, exc.message)
        return HttpResponseRedirect(_verify_url(user.guid, "sms"))
    return render(
        request,
        "helpdesk/verify_sms.html",
        {
            "u": user,
            "display": enrollment.display,
            "challenge": challenge,
            "send_status": challenges.status_of(challenge) if challenge else None,
            "form": form,
            "verification": verification_state(request, user.guid),
            "user_url": reverse("admin:helpdesk_user", args=[user.guid]),
        },
        title=_("Kontrollera vem som ringer"),
        status=400 if form.is_bound and form.errors else 200,
    )
