from __future__ import annotations

import time

from django.contrib.auth import login, logout
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from audit.service import record

from .directory import DirectoryError
from .forms import LoginForm
from .login import authenticate_user
from .messages import ERROR_MESSAGES, message_for, public_code

# The errors after which the user is offered the change-password page.
CHANGE_PASSWORD_CODES = {"password_expired", "must_change_password"}


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("home")


def _change_password_url(form) -> str:
    """The change-password page (reset app, found by URL name), with the name
    the user typed filled in."""
    url = reverse("change_password")
    username = (form.data.get("username") or "").strip() if form.is_bound else ""
    return f"{url}?{urlencode({'username': username[:256]})}" if username else url


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def login_view(request):
    form = LoginForm(request.POST or None)
    error_code = ""
    error_message = ""
    if request.method == "POST" and form.is_valid():
        try:
            user = authenticate_user(
                request=request,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
            )
        except DirectoryError as exc:
            error_code = public_code(exc)
            if error_code == exc.code:
                error_message = message_for(exc)
            else:
                error_message = str(ERROR_MESSAGES[error_code])
        else:
            login(request, user, backend="identity.auth.DirectoryAuthBackend")
            request.session["auth_at"] = int(time.time())
            return HttpResponseRedirect(_next_url(request))
    status = 200 if not error_code and not form.errors else 400
    return render(
        request,
        "identity/login.html",
        {
            "form": form,
            "error_code": error_code,
            "error_message": error_message,
            "offer_change_password": error_code in CHANGE_PASSWORD_CODES,
            "change_password_url": _change_password_url(form),
            "next": request.POST.get("next") or request.GET.get("next") or "",
        },
        status=status,
    )


@require_POST
def logout_view(request):
    if request.user.is_authenticated:
        record(
            action="logout",
            result="success",
            request=request,
            subject=request.user.get_username(),
            subject_guid=request.user.directory_guid or "",
        )
    logout(request)
    return HttpResponseRedirect(reverse("login"))
