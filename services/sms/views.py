"""Mobilkod pages: enrol a number, confirm its code, verify in a proof flow.

Thin: parse the form, call a service, render. The services write the audit.
"""

from __future__ import annotations

import phonenumbers as pn
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from enrollment import proofs, stepup
from enrollment.decorators import fresh_login_required
from enrollment.services import enrollment_for
from identity.directory import DirectoryError, get_directory

from . import conf
from .challenges import SmsCooldown, get_challenge, resend_sms_code, status_of
from .codes import CodeError
from .enroll import begin_sms_enrollment, confirm_sms_enrollment, pending_enrollment_challenge
from .forms import CodeForm, PhoneForm
from .limits import SmsRateLimited
from .messages import message
from .phone import PhoneNumberError, parse, region_of
from .service import SmsService
from .verify import flow_challenge, prove_with_sms_code, send_verify_code, verify_display

KEY = SmsService.key


def _suggestion(user) -> dict:
    """The AD ``mobile`` attribute as a suggestion for the form, when there is one."""
    try:
        dir_user = get_directory().get_user(user.directory_guid)
    except DirectoryError:
        return {}
    mobile = (getattr(dir_user, "mobile", "") or "").strip()
    if not mobile:
        return {}
    try:
        e164 = parse(conf.default_country(), mobile)
    except PhoneNumberError:
        return {"number": mobile[:40]}
    number = pn.format_number(pn.parse(e164, None), pn.PhoneNumberFormat.INTERNATIONAL)
    return {"country": region_of(e164) or conf.default_country(), "number": number}


@never_cache
@login_required
@fresh_login_required
def sms_enroll(request):
    guid = request.user.directory_guid or ""
    if not guid:
        raise Http404
    others = stepup.services_to_prove(request, user_guid=guid, service_key=KEY)
    if others:
        return stepup.step_up_page(
            request, service=SmsService(), others=others, return_url=reverse("sms_enroll")
        )
    error = ""
    if request.method == "POST":
        form = PhoneForm(request.POST)
        if form.is_valid():
            try:
                begin_sms_enrollment(
                    request=request,
                    user_guid=guid,
                    username=request.user.get_username(),
                    phone_e164=form.cleaned_data["e164"],
                )
            except SmsRateLimited as exc:
                error = exc.message
            else:
                return redirect("sms_confirm")
    else:
        form = PhoneForm(initial=_suggestion(request.user))
    current = enrollment_for(user_guid=guid, service=KEY)
    status = 400 if error or form.errors else 200
    context = {"form": form, "error": error, "current": current}
    return render(request, "sms/enroll.html", context, status=status)


def _code_step(request, challenge, *, confirm):
    """POST on a code page: "resend" or a code. Returns (response or None, form, error)."""
    if "resend" in request.POST:
        try:
            resend_sms_code(request=request, challenge=challenge)
        except (SmsCooldown, SmsRateLimited) as exc:
            return None, CodeForm(), exc.message
        messages.info(request, _("En ny kod är på väg."))
        return HttpResponseRedirect(request.get_full_path()), None, ""
    form = CodeForm(request.POST)
    if not form.is_valid():
        return None, form, ""
    try:
        response = confirm(form.cleaned_data["code"])
    except CodeError as exc:
        form.add_error("code", exc.message)
        return None, form, ""
    except SmsRateLimited as exc:
        return None, form, exc.message
    return response, None, ""


def _render_code_page(request, template, context, *, form, error):
    context |= {
        "form": form or CodeForm(),
        "error": error,
        "status": status_of(context["challenge"]),
        "code_length": conf.code_length(),
    }
    failed = error or (form is not None and form.errors)
    return render(request, template, context, status=400 if failed else 200)


@never_cache
@login_required
@fresh_login_required
def sms_confirm(request):
    guid = request.user.directory_guid or ""
    challenge = pending_enrollment_challenge(request, user_guid=guid)
    if challenge is None:
        return redirect("sms_enroll")
    form, error = None, ""
    if request.method == "POST":

        def confirm(code):
            confirm_sms_enrollment(
                request=request,
                user_guid=guid,
                username=request.user.get_username(),
                challenge_id=challenge.pk,
                code=code,
            )
            stepup.finish_step_up(request, service_key=KEY)
            messages.success(
                request,
                _("Du har nu registrerat ditt mobiltelefonnummer för återställning av lösenord!"),
            )
            return redirect("home")

        response, form, error = _code_step(request, challenge, confirm=confirm)
        if response is not None:
            return response
        challenge.refresh_from_db()
    context = {"challenge": challenge}
    return _render_code_page(request, "sms/confirm.html", context, form=form, error=error)


def _safe_return(request, url: str) -> str:
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        return url
    return reverse("home")


@never_cache
def sms_verify(request, flow_id: str):
    flow = proofs.get_flow(request, flow_id)
    if flow is None:
        context = {"expired_message": message("flow_expired")}
        return render(request, "sms/verify.html", context, status=400)
    if KEY in flow.proved:
        return HttpResponseRedirect(_safe_return(request, flow.return_url))
    challenge = flow_challenge(request, flow)
    form, error = None, ""
    if request.method == "POST" and "send" in request.POST:
        try:
            send_verify_code(request=request, flow=flow)
        except (SmsCooldown, SmsRateLimited) as exc:
            error = exc.message
        else:
            return HttpResponseRedirect(request.get_full_path())
    elif request.method == "POST" and challenge is None:
        error = message("code_not_found")
    elif request.method == "POST":

        def confirm(code):
            prove_with_sms_code(request=request, flow=flow, code=code)
            return HttpResponseRedirect(_safe_return(request, flow.return_url))

        response, form, error = _code_step(request, challenge, confirm=confirm)
        if response is not None:
            return response
        challenge.refresh_from_db()
    context = {"flow": flow, "challenge": challenge, "display": verify_display(flow)}
    if challenge is None:
        status = 400 if error else 200
        context |= {"error": error}
        return render(request, "sms/verify.html", context, status=status)
    return _render_code_page(request, "sms/verify.html", context, form=form, error=error)


@never_cache
@require_GET
def sms_status(request, challenge_id):
    """How sending the code went, for the confirm page's script."""
    challenge = get_challenge(request, challenge_id, purpose=None, user_guid=None)
    if challenge is None:
        return JsonResponse({"error": "not_found"}, status=404)
    return JsonResponse(status_of(challenge))
