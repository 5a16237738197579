"""The helpdesk's caller check with a one-time code, for every code service
(Mobilkod, E-postkod): the portal sends a code to what the user enrolled (the
service's own challenge, bound to the helpdesk's session), the caller reads
it back and the helpdesk types it in. The helpdesk keeps and audits the
outcome (``caller.finish``) and limits the checks (``caller.guard``).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.utils.translation import gettext as _

from audit.service import record

from .base import CallerCheck
from .forms import CallerCodeForm
from .onetime import CodeError

PURPOSE = "helpdesk"
# A slip of the tongue or the keyboard: the same code may be tried again.
_RETRYABLE = {"code_empty", "code_format", "code_length", "code_wrong"}


@dataclass(frozen=True)
class CodeCallerService:
    """What a code service gives the check: ``method`` (its key), and
    functions to start, find, resend and verify its challenge (purpose
    ``PURPOSE``), its send status, the errors that refuse a send, and the
    page's template."""

    method: str
    start: Callable[..., Any]  # (request, user, enrollment) -> challenge
    find: Callable[..., Any]  # (request, challenge_id, user) -> challenge | None
    resend: Callable[..., Any]  # (request, challenge) -> challenge
    verify: Callable[..., Any]  # (request, challenge, user, code); raises CodeError
    status_of: Callable[[Any], dict]
    refused: tuple[type[Exception], ...]  # rate limited, cooldown: their .message
    template: str


def _audit(request, user, *, method: str, result: str, **details) -> None:
    record(
        action="helpdesk.verify_caller",
        result=result,
        request=request,
        subject=user.username,
        subject_guid=user.guid,
        details={"method": method, **details},
    )


def check_caller_with_code(caller: CallerCheck, service: CodeCallerService):
    """The helpdesk's check that the caller holds what the user enrolled."""
    request, user, guard, method = caller.request, caller.user, caller.guard, service.method
    state = caller.state()
    challenge = service.find(request, state["challenge"], user) if state.get("challenge") else None
    action = request.POST.get("action") if request.method == "POST" else ""
    form = CallerCodeForm(request.POST if action == "check" else None)
    try:
        if action == "send":
            challenge = service.start(request, user, caller.enrollment)
            # A new code starts a new check: an earlier outcome no longer counts.
            caller.save_state({"challenge": str(challenge.pk), "at": time.time()})
            _audit(
                request,
                user,
                method=method,
                result="info",
                step="code_sent",
                display=challenge.display,
            )
            return HttpResponseRedirect(caller.url)
        if action == "resend" and challenge is not None:
            service.resend(request, challenge)
            return HttpResponseRedirect(caller.url)
        if action == "check" and challenge is not None and form.is_valid():
            try:
                check = guard.begin_check(request=request, user=user, method=method)
            except guard.CheckRefused as exc:
                messages.error(request, exc.message)
                return HttpResponseRedirect(caller.url)
            try:
                service.verify(request, challenge, user, form.cleaned_data["code"])
            except CodeError as exc:
                if exc.compared:
                    guard.check_missed(check, request=request)
                else:
                    guard.check_passed(check)  # nothing was compared
                if exc.code not in _RETRYABLE:
                    caller.finish(
                        request, user=user, method=method, verified=False, reason=exc.code
                    )
                    messages.error(request, exc.message)
                    return HttpResponseRedirect(caller.url)
                form.add_error("code", exc.message)
                if exc.code == "code_wrong":
                    _audit(request, user, method=method, result="failure", reason="code_wrong")
            except service.refused:
                guard.check_passed(check)
                raise
            else:
                guard.check_passed(check)
                caller.finish(request, user=user, method=method, verified=True)
                return HttpResponseRedirect(caller.user_url)
    except service.refused as exc:
        messages.error(request, exc.message)
        return HttpResponseRedirect(caller.url)
    return caller.render(
        request,
        service.template,
        {
            "u": user,
            "display": caller.enrollment.display,
            "challenge": challenge,
            "send_status": service.status_of(challenge) if challenge else None,
            "form": form,
            "verification": caller.verification,
            "user_url": caller.user_url,
        },
        title=_("Kontrollera vem som ringer"),
        status=400 if form.is_bound and form.errors else 200,
    )
