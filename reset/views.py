"""Pages of the reset and unlock flows: start, prove, new password / unlock, done.

Thin: parse, call a service in ``flow`` or ``services``, render.
"""

from __future__ import annotations

import json

from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from enrollment.proofs import ProofFlow
from identity.directory import DirectoryError, DirectoryUnavailable, get_directory
from identity.messages import message_for
from identity.policy import describe_password_policy

from .flow import ResetRefused, load_flow, proof_status, start_reset
from .forms import NewPasswordForm, StartForm
from .services import PasswordRejected, check_step, reset_password, unlock_account

_DONE_KEY = "reset_done"


def _refused(request, exc: ResetRefused, *, purpose: str, flow: ProofFlow | None = None):
    """Back to the proof page while the flow lives; else a page that says to start over."""
    if flow is not None and exc.code in {"not_proved", "locked_out", "policy"}:
        return HttpResponseRedirect(flow.return_url)
    status = {"already_done": 409, "busy": 409, "other_user": 403, "unavailable": 503}.get(
        exc.code, 404
    )
    return render(
        request,
        "reset/refused.html",
        {"purpose": purpose, "message": exc.message, "code": exc.code},
        status=status,
    )


@csrf_protect
@never_cache
def start_view(request, *, purpose: str):
    form = StartForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            flow = start_reset(
                request=request, username=form.cleaned_data["username"], purpose=purpose
            )
        except ResetRefused as exc:
            error = exc.message
        except DirectoryError as exc:
            error = message_for(exc)
        else:
            return HttpResponseRedirect(flow.return_url)
    status = 400 if (error or form.errors) else 200
    context = {"form": form, "purpose": purpose, "error": error}
    return render(request, "reset/start.html", context, status=status)


@never_cache
def prove_view(request, flow_id: str, *, purpose: str):
    try:
        flow = load_flow(request, flow_id, purpose=purpose)
        status = proof_status(request=request, flow=flow)
    except ResetRefused as exc:
        return _refused(request, exc, purpose=purpose)
    except DirectoryError:
        return _refused(request, ResetRefused("unavailable"), purpose=purpose)
    return render(
        request,
        "reset/prove.html",
        {"status": status, "meter": status.meter, "purpose": purpose, "flow": flow},
    )


def _password_rules(flow: ProofFlow) -> dict | None:
    """The rules for the checklist, or None when the directory does not answer
    (the form still works: the server checks everything again)."""
    try:
        directory = get_directory()
        user = directory.get_user(flow.user_guid)
        return describe_password_policy(user=user, policy=directory.password_policy())
    except DirectoryError:
        return None


@sensitive_post_parameters("new_password", "confirm_password")
@csrf_protect
@never_cache
def password_view(request, flow_id: str):
    flow = None
    error, error_status = "", 200
    try:
        flow = load_flow(request, flow_id, purpose="reset")
        check_step(request=request, flow=flow, step="password")
        form = NewPasswordForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                result = reset_password(
                    request=request, flow=flow, password=form.cleaned_data["new_password"]
                )
            except PasswordRejected as exc:
                form.add_failures(exc.failures)
            except DirectoryError as exc:
                error, error_status = message_for(exc), 400 if exc.permanent else 503
            else:
                request.session[_DONE_KEY] = {
                    "purpose": "reset",
                    "unlocked": result.unlocked and result.was_locked,
                    "notified": list(result.notified),
                }
                return HttpResponseRedirect(reverse("reset_done"))
    except ResetRefused as exc:
        return _refused(request, exc, purpose="reset", flow=flow)
    rules = _password_rules(flow)
    if rules is None and not error:
        error, error_status = message_for(DirectoryUnavailable()), 503
    failed = error or form.errors
    return render(
        request,
        "reset/password.html",
        {
            "form": form,
            "flow": flow,
            "error": error,
            "rules": rules,
            "rules_json": json.dumps(rules, ensure_ascii=False) if rules else "",
        },
        status=error_status if error else 400 if failed else 200,
    )


@require_POST
@csrf_protect
@never_cache
def unlock_view(request, flow_id: str):
    flow = None
    try:
        flow = load_flow(request, flow_id, purpose="unlock")
        result = unlock_account(request=request, flow=flow)
    except ResetRefused as exc:
        return _refused(request, exc, purpose="unlock", flow=flow)
    except DirectoryError as exc:
        try:
            status = proof_status(request=request, flow=flow)
        except DirectoryError:
            return _refused(request, ResetRefused("unavailable"), purpose="unlock")
        return render(
            request,
            "reset/prove.html",
            {
                "status": status,
                "meter": status.meter,
                "purpose": "unlock",
                "flow": flow,
                "error": message_for(exc),
            },
            status=503 if not exc.permanent else 400,
        )
    request.session[_DONE_KEY] = {
        "purpose": "unlock",
        "unlocked": True,
        "notified": list(result.notified),
    }
    return HttpResponseRedirect(reverse("unlock_done"))


@never_cache
def done_view(request, *, purpose: str):
    done = request.session.get(_DONE_KEY)
    if not done or done.get("purpose") != purpose:
        return HttpResponseRedirect(reverse(f"{purpose}_start"))
    return render(request, "reset/done.html", {"purpose": purpose, "done": done})
