"""Checking a caller with Mobilkod for the helpdesk (``SmsService.check_caller``).

The portal sends a code to the user's enrolled phone (the SMS service's own
challenge, bound to the helpdesk's session), the caller reads it back and the
helpdesk types it in. The helpdesk keeps and audits the outcome (``caller.finish``)
and limits the checks (``caller.guard``).
"""

from __future__ import annotations

import time

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.utils.translation import gettext as _

from audit.service import record
from enrollment.base import CallerCheck
from enrollment.crypto import decrypt

from . import challenges
from .codes import CodeError
from .delivery import HELPDESK_PURPOSE
from .forms import CallerCodeForm
from .limits import SmsRateLimited

SMS_PURPOSE = HELPDESK_PURPOSE


def _record_wrong_code(request, user) -> None:
    record(
        action="helpdesk.verify_caller",
        result="failure",
        request=request,
        subject=user.username,
        subject_guid=user.guid,
        details={"method": "sms", "reason": "code_wrong"},
    )


def check_caller(caller: CallerCheck):
    """The helpdesk's check that the caller has the enrolled phone."""
    request, user, render, finish = caller.request, caller.user, caller.render, caller.finish
    guard = caller.guard
    enrollment = caller.enrollment
    state = caller.state()
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
            caller.save_state({"challenge": str(challenge.pk), "at": time.time()})
            record(
                action="helpdesk.verify_caller",
                result="info",
                request=request,
                subject=user.username,
                subject_guid=user.guid,
                details={"method": "sms", "step": "code_sent", "display": challenge.display},
            )
            return HttpResponseRedirect(caller.url)
        if action == "resend" and challenge is not None:
            challenges.resend_sms_code(request=request, challenge=challenge)
            return HttpResponseRedirect(caller.url)
        if action == "check" and challenge is not None and form.is_valid():
            try:
                check = guard.begin_check(request=request, user=user, method="sms")
            except guard.CheckRefused as exc:
                messages.error(request, exc.message)
                return HttpResponseRedirect(caller.url)
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
                if exc.compared:
                    guard.check_missed(check, request=request)
                else:
                    guard.check_passed(check)  # nothing was compared
                if exc.code in {"code_empty", "code_format", "code_length", "code_wrong"}:
                    # A slip of the tongue or the keyboard: the same code may be tried again.
                    form.add_error("code", exc.message)
                    if exc.code == "code_wrong":
                        _record_wrong_code(request, user)
                else:
                    finish(request, user=user, method="sms", verified=False, reason=exc.code)
                    messages.error(request, exc.message)
                    return HttpResponseRedirect(caller.url)
            except SmsRateLimited:
                guard.check_passed(check)
                raise
            else:
                guard.check_passed(check)
                finish(request, user=user, method="sms", verified=True)
                return HttpResponseRedirect(caller.user_url)
    except (SmsRateLimited, challenges.SmsCooldown) as exc:
        messages.error(request, exc.message)
        return HttpResponseRedirect(caller.url)
    return render(
        request,
        "helpdesk/verify_sms.html",
        {
            "u": user,
            "display": enrollment.display,
            "challenge": challenge,
            "send_status": challenges.status_of(challenge) if challenge else None,
            "form": form,
            "verification": caller.verification,
            "user_url": caller.user_url,
        },
        title=_("Kontrollera vem som ringer"),
        status=400 if form.is_bound and form.errors else 200,
    )
