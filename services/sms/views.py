"""Mobilkod pages: enrol a number, confirm its code, verify in a proof flow.

Thin: parse the form, call a service, render. The services write the audit.
"""

from __future__ import annotations

import phonenumbers as pn
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from enrollment import stepup
from enrollment.codeviews import CodePages
from enrollment.decorators import fresh_login_required
from enrollment.services import enrollment_for
from identity.directory import DirectoryError, get_directory

from . import conf
from .challenges import CHANNEL, SmsCooldown
from .enroll import begin_sms_enrollment, confirm_sms_enrollment, pending_enrollment_challenge
from .forms import CodeForm, PhoneForm
from .limits import SmsRateLimited
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


@never_cache
@login_required
@fresh_login_required
def sms_confirm(request):
    return PAGES.confirm_enrollment(
        request,
        pending=pending_enrollment_challenge,
        confirm=confirm_sms_enrollment,
        success=_("Du har nu registrerat ditt mobiltelefonnummer för återställning av lösenord!"),
        template="sms/confirm.html",
    )


PAGES = CodePages(
    key=KEY,
    enroll_url_name="sms_enroll",
    channel=CHANNEL,
    form=CodeForm,
    refused=(SmsCooldown, SmsRateLimited),
    verify_template="sms/verify.html",
    flow_challenge=flow_challenge,
    send_verify_code=send_verify_code,
    prove=prove_with_sms_code,
    verify_display=verify_display,
)


@never_cache
def sms_verify(request, flow_id: str):
    return PAGES.verify(request, flow_id)


@never_cache
@require_GET
def sms_status(request, challenge_id):
    return PAGES.status(request, challenge_id)
