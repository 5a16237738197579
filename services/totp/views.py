"""Authenticator app pages: add (QR code, secret, one code), remove, prove in a flow.

Thin: read the form, call a service, render. The services write the audit.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import escape
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from enrollment import proofs, stepup
from enrollment.decorators import fresh_login_required
from enrollment.registry import get_service
from enrollment.services import enrollment_for

from . import conf, keys
from .codes import TotpCodeError
from .devices import begin_totp_enrollment, confirm_totp_enrollment, remove_totp
from .forms import CodeForm
from .messages import message
from .service import TotpService
from .verify import prove_with_totp_code

KEY = TotpService.key


def _service() -> TotpService:
    return get_service(KEY) or TotpService()


def _step_up(request, guid: str, return_url: str):
    """The core's step-up page when the change needs a proof through another service."""
    others = stepup.services_to_prove(request, user_guid=guid, service_key=KEY)
    if others:
        return stepup.step_up_page(
            request, service=_service(), others=others, return_url=return_url
        )
    return None


def _guid(request) -> str:
    guid = request.user.directory_guid or ""
    if not guid:
        raise Http404
    return guid


@never_cache
@login_required
@fresh_login_required
def totp_enroll(request):
    guid = _guid(request)
    step_up = _step_up(request, guid, reverse("totp_enroll"))
    if step_up is not None:
        return step_up
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            confirm_totp_enrollment(
                request=request, user=request.user, code=form.cleaned_data["code"]
            )
        except TotpCodeError as exc:
            form.code_error(exc.message)
        else:
            stepup.finish_step_up(request, service_key=KEY)
            messages.success(
                request, _("Du har nu lagt till autentiseringsappen för återställning av lösenord!")
            )
            return redirect("home")
    device = begin_totp_enrollment(request=request, user=request.user)
    uri = keys.otpauth_uri(key=device.bin_key, account=request.user.get_username())
    title = _("QR-kod att skanna med autentiseringsappen")
    svg = keys.qr_svg(uri, title=title).replace(
        "<svg ", f'<svg role="img" aria-label="{escape(title)}" ', 1
    )
    context = {
        "form": form,
        "qr_svg": mark_safe(svg),  # noqa: S308  (segno's SVG; the title is escaped)
        "otpauth_uri": uri,
        "secret": keys.grouped(keys.base32_secret(device.bin_key)),
        "issuer": conf.issuer(),
        "account": request.user.get_username(),
        "current": enrollment_for(user_guid=guid, service=KEY),
        "masked": "",
    }
    if context["current"] is not None:
        context["masked"] = _service().masked(context["current"])
    return render(request, "totp/enroll.html", context, status=400 if form.errors else 200)


@never_cache
@login_required
@fresh_login_required
def totp_remove(request):
    guid = _guid(request)
    current = enrollment_for(user_guid=guid, service=KEY)
    if current is None:
        return redirect("totp_enroll")
    step_up = _step_up(request, guid, reverse("totp_remove"))
    if step_up is not None:
        return step_up
    if request.method == "POST":
        remove_totp(request=request, user_guid=guid, username=request.user.get_username())
        stepup.finish_step_up(request, service_key=KEY)
        messages.success(request, _("Autentiseringsappen är borttagen från ditt konto."))
        return redirect("home")
    return render(request, "totp/remove.html", {"masked": _service().masked(current)})


def _safe_return(request, url: str) -> str:
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        return url
    return reverse("home")


@never_cache
def totp_verify(request, flow_id: str):
    flow = proofs.get_flow(request, flow_id)
    if flow is None:
        context = {"expired_message": message("flow_expired")}
        return render(request, "totp/verify.html", context, status=400)
    if KEY in flow.proved:
        return HttpResponseRedirect(_safe_return(request, flow.return_url))
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            prove_with_totp_code(request=request, flow=flow, code=form.cleaned_data["code"])
        except TotpCodeError as exc:
            form.code_error(exc.message)
        else:
            return HttpResponseRedirect(_safe_return(request, flow.return_url))
    context = {"flow": flow, "form": form}
    return render(request, "totp/verify.html", context, status=400 if form.errors else 200)
