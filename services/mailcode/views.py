"""E-postkod pages: enrol (or change, or remove) an address, confirm its code,
verify in a proof flow.

Thin: parse the form, call a service, render. The services write the audit.
Enrolment pages go through the core's checks: a fresh password login
(``fresh_login_required``) and, to change or remove an enrolled address, a
proof through another enrolled service (``enrollment.stepup``).
"""

from __future__ import annotations

from django.contrib import messages
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

from .address import AddressError
from .challenges import CHANNEL, MailCooldown
from .enroll import (
    begin_mail_enrollment,
    confirm_mail_enrollment,
    pending_enrollment_challenge,
    remove_mail_enrollment,
)
from .forms import AddressForm, CodeForm
from .limits import MailRateLimited
from .service import MailCodeService
from .verify import flow_challenge, prove_with_mail_code, send_verify_code, verify_display

KEY = MailCodeService.key


def _step_up(request, guid: str, return_url: str):
    """The core's step-up page when changing needs a proof first, else None."""
    others = stepup.services_to_prove(request, user_guid=guid, service_key=KEY)
    if others:
        return stepup.step_up_page(
            request, service=MailCodeService(), others=others, return_url=return_url
        )
    return None


@never_cache
@login_required
@fresh_login_required
def mailcode_enroll(request):
    guid = request.user.directory_guid or ""
    if not guid:
        raise Http404
    step_up = _step_up(request, guid, reverse("mailcode_enroll"))
    if step_up is not None:
        return step_up
    error = ""
    form = AddressForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            begin_mail_enrollment(
                request=request,
                user_guid=guid,
                username=request.user.get_username(),
                text=form.cleaned_data["address"],
            )
        except AddressError as exc:
            form.add_error("address", exc.message)
        except MailRateLimited as exc:
            error = exc.message
        else:
            return redirect("mailcode_confirm")
    current = enrollment_for(user_guid=guid, service=KEY)
    status = 400 if error or form.errors else 200
    context = {"form": form, "error": error, "current": current}
    return render(request, "mailcode/enroll.html", context, status=status)


@never_cache
@login_required
@fresh_login_required
def mailcode_remove(request):
    guid = request.user.directory_guid or ""
    current = enrollment_for(user_guid=guid, service=KEY) if guid else None
    if current is None:
        return redirect("mailcode_enroll")
    step_up = _step_up(request, guid, reverse("mailcode_remove"))
    if step_up is not None:
        return step_up
    if request.method == "POST":
        remove_mail_enrollment(request=request, user_guid=guid)
        stepup.finish_step_up(request, service_key=KEY)
        messages.success(request, _("Din privata e-postadress är borttagen."))
        return redirect("home")
    return render(request, "mailcode/remove.html", {"current": current})


@never_cache
@login_required
@fresh_login_required
def mailcode_confirm(request):
    return PAGES.confirm_enrollment(
        request,
        pending=pending_enrollment_challenge,
        confirm=confirm_mail_enrollment,
        success=_("Du har nu registrerat din privata e-postadress för återställning av lösenord!"),
        template="mailcode/confirm.html",
    )


PAGES = CodePages(
    key=KEY,
    enroll_url_name="mailcode_enroll",
    channel=CHANNEL,
    form=CodeForm,
    refused=(MailCooldown, MailRateLimited),
    verify_template="mailcode/verify.html",
    flow_challenge=flow_challenge,
    send_verify_code=send_verify_code,
    prove=prove_with_mail_code,
    verify_display=verify_display,
)


@never_cache
def mailcode_verify(request, flow_id: str):
    return PAGES.verify(request, flow_id)


@never_cache
@require_GET
def mailcode_status(request, challenge_id):
    return PAGES.status(request, challenge_id)
