"""The pages every one-time code service shares (Mobilkod, E-postkod): the
code step of a code page (type a code, or ask for a new one), the proof page
inside a flow, and the send status the page's script polls.

Thin, like every view: parse the form, call the service's functions, render.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from . import proofs


def safe_return(request, url: str) -> str:
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        return url
    return reverse("home")


@dataclass(frozen=True)
class CodePages:
    key: str  # the service's key
    enroll_url_name: str  # its enrol page
    channel: Any  # its enrollment.codechallenges.CodeChannel
    form: type  # its code form (enrollment.forms.OneTimeCodeForm)
    refused: tuple[type[Exception], ...]  # its cooldown and rate-limit errors
    verify_template: str
    flow_challenge: Callable[..., Any]  # (request, flow) -> challenge | None
    send_verify_code: Callable[..., Any]  # (request=, flow=)
    prove: Callable[..., Any]  # (request=, flow=, code=)
    verify_display: Callable[..., str]  # (flow) -> the masked destination

    def code_step(self, request, challenge, *, confirm):
        """POST on a code page: "resend" or a code. Returns (response or None, form, error)."""
        if "resend" in request.POST:
            try:
                self.channel.resend(request=request, challenge=challenge)
            except self.refused as exc:
                return None, self.form(), exc.message
            messages.info(request, _("En ny kod är på väg."))
            return HttpResponseRedirect(request.get_full_path()), None, ""
        form = self.form(request.POST)
        if not form.is_valid():
            self._record_malformed(request, challenge, form)
            return None, form, ""
        try:
            response = confirm(form.cleaned_data["code"])
        except self.channel.error as exc:
            form.add_error("code", exc.message)
            return None, form, ""
        except self.refused as exc:
            return None, form, exc.message
        return response, None, ""

    def _record_malformed(self, request, challenge, form) -> None:
        """A code that could not even be read (empty, letters, wrong length)
        is no try, but it is a bad input: audited with its reason."""
        from audit.service import record

        from .codechallenges import purpose_kind

        errors = form.errors.as_data().get("code") or []
        reason = errors[0].code if errors else ""
        reason = {"required": "code_empty", "max_length": "code_length"}.get(reason, reason)
        record(
            action=f"{self.channel.prefix}.code_failed",
            result="failure",
            request=request,
            subject=challenge.username,
            subject_guid=challenge.user_guid,
            details={
                "purpose": purpose_kind(challenge.purpose),
                "reason": reason or "code_format",
                "display": challenge.display,
                "attempts": challenge.attempts,
            },
        )

    def render_code_page(self, request, template, context, *, form, error):
        context |= {
            "form": form or self.form(),
            "error": error,
            "status": self.channel.status_of(context["challenge"]),
            "code_length": self.channel.conf.code_length(),
        }
        failed = error or (form is not None and form.errors)
        return render(request, template, context, status=400 if failed else 200)

    def confirm_enrollment(self, request, *, pending, confirm, success: str, template: str):
        """The page where the logged-in user types the code that confirms what
        they enrol: ``pending(request, user_guid=)`` finds the challenge,
        ``confirm(request=, user_guid=, username=, challenge_id=, code=)``
        saves the enrolment; then home with ``success``. Without a pending
        challenge: back to the service's enrol page."""
        from django.shortcuts import redirect

        from . import stepup

        guid = request.user.directory_guid or ""
        challenge = pending(request, user_guid=guid)
        if challenge is None:
            return redirect(self.enroll_url_name)
        form, error = None, ""
        if request.method == "POST":

            def confirmed(code):
                confirm(
                    request=request,
                    user_guid=guid,
                    username=request.user.get_username(),
                    challenge_id=challenge.pk,
                    code=code,
                )
                stepup.finish_step_up(request, service_key=self.key)
                messages.success(request, success)
                return redirect("home")

            response, form, error = self.code_step(request, challenge, confirm=confirmed)
            if response is not None:
                return response
            challenge.refresh_from_db()
        context = {"challenge": challenge}
        return self.render_code_page(request, template, context, form=form, error=error)

    def verify(self, request, flow_id: str):
        """The proof page of the service inside the flow ``flow_id``."""
        flow = proofs.get_flow(request, flow_id)
        if flow is None:
            context = {"expired_message": self.channel.message("flow_expired")}
            return render(request, self.verify_template, context, status=400)
        if self.key in flow.proved:
            return HttpResponseRedirect(safe_return(request, flow.return_url))
        challenge = self.flow_challenge(request, flow)
        form, error = None, ""
        if request.method == "POST" and "send" in request.POST:
            try:
                self.send_verify_code(request=request, flow=flow)
            except self.refused as exc:
                error = exc.message
            else:
                return HttpResponseRedirect(request.get_full_path())
        elif request.method == "POST" and challenge is None:
            error = self.channel.message("code_not_found")
        elif request.method == "POST":

            def confirm(code):
                self.prove(request=request, flow=flow, code=code)
                return HttpResponseRedirect(safe_return(request, flow.return_url))

            response, form, error = self.code_step(request, challenge, confirm=confirm)
            if response is not None:
                return response
            challenge.refresh_from_db()
        context = {"flow": flow, "challenge": challenge, "display": self.verify_display(flow)}
        if challenge is None:
            context |= {"error": error}
            status = 400 if error else 200
            return render(request, self.verify_template, context, status=status)
        return self.render_code_page(request, self.verify_template, context, form=form, error=error)

    def status(self, request, challenge_id):
        """How sending the code went, for the code page's script (this session's only)."""
        challenge = self.channel.get(request, challenge_id, purpose=None, user_guid=None)
        if challenge is None:
            return JsonResponse({"error": "not_found"}, status=404)
        return JsonResponse(self.channel.status_of(challenge))
