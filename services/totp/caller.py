"""Checking a caller with the authenticator app for the helpdesk (``TotpService.check_caller``).

The caller reads the code their app shows; the helpdesk types it in. It is
checked like any proof: the helpdesk's guard first (the account's lockout,
the misses per helpdesk member and per account), then django-otp on the
device, so a code read out once cannot be used again (``last_t``), not even
in a reset by whoever overheard it.
"""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponseRedirect
from django.utils.translation import gettext as _

from audit.service import record
from enrollment.base import CallerCheck

from .codes import TotpCodeError, normalize_code
from .devices import check_code_on, confirmed_device
from .forms import CallerCodeForm
from .messages import message

METHOD = "totp"


def _record_miss(request, user, reason: str) -> None:
    record(
        action="helpdesk.verify_caller",
        result="failure",
        request=request,
        subject=user.username,
        subject_guid=user.guid,
        details={"method": METHOD, "reason": reason},
    )


def _check(request, user, code: str) -> None:
    """Raises TotpCodeError."""
    digits = normalize_code(code)
    error = None
    with transaction.atomic():
        device = confirmed_device(user.guid, for_update=True)
        if device is None:
            raise TotpCodeError("key_unreadable")
        try:
            check_code_on(device, digits)
        except TotpCodeError as exc:
            error = exc  # django-otp's count of the failure is kept
    if error is not None:
        raise error


def check_caller(caller: CallerCheck):
    """The helpdesk's check that the caller has the enrolled authenticator app."""
    request, user, guard = caller.request, caller.user, caller.guard
    form = CallerCodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            check = guard.begin_check(request=request, user=user, method=METHOD)
        except guard.CheckRefused as exc:
            messages.error(request, exc.message)
            return HttpResponseRedirect(caller.url)
        try:
            _check(request, user, form.cleaned_data["code"])
        except TotpCodeError as exc:
            if exc.compared:
                guard.check_missed(check, request=request)
            else:
                guard.check_passed(check)  # nothing was compared
            _record_miss(request, user, exc.code)
            if exc.code == "key_unreadable":
                caller.finish(request, user=user, method=METHOD, verified=False, reason=exc.code)
                messages.error(request, message(exc.code))
                return HttpResponseRedirect(caller.url)
            form.add_error("code", exc.message)
        except BaseException:
            guard.check_passed(check)
            raise
        else:
            guard.check_passed(check)
            caller.finish(request, user=user, method=METHOD, verified=True)
            return HttpResponseRedirect(caller.user_url)
    return caller.render(
        request,
        "helpdesk/verify_totp.html",
        {
            "u": user,
            "display": caller.enrollment.display,
            "form": form,
            "verification": caller.verification,
            "user_url": caller.user_url,
        },
        title=_("Kontrollera vem som ringer"),
        status=400 if form.errors else 200,
    )
