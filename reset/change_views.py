"""The change-password page: the user's own change with the old password.

Logged in, the user's account is used; from the login page (an expired or
must-change password) the username is asked for and no login is needed.
"""

from __future__ import annotations

import json

from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters

from identity.directory import DirectoryError, get_directory
from identity.messages import message_for, public_code
from identity.policy import describe_password_policy

from .forms import ChangePasswordForm
from .services import PasswordRejected, change_password

_DONE_KEY = "password_changed"


def _password_rules(request) -> dict | None:
    """The checklist's rules: with the account's names when logged in; None
    when the directory does not answer (the server still checks on submit)."""
    try:
        directory = get_directory()
        guid = getattr(request.user, "directory_guid", "") or ""
        user = directory.get_user(guid) if guid else None
        return describe_password_policy(user=user, policy=directory.password_policy())
    except DirectoryError:
        return None


def _wrong_old_password(logged_in: bool) -> str:
    if logged_in:
        return _("Det nuvarande lösenordet stämmer inte. Skriv det igen.")
    # Not logged in: the name may be the wrong part, and which one must not show.
    return _("Fel användarnamn eller lösenord. Skriv dem igen, och det nya lösenordet två gånger.")


@sensitive_post_parameters("old_password", "new_password", "confirm_password")
@csrf_protect
@never_cache
def change_password_view(request):
    logged_in = request.user.is_authenticated
    form = ChangePasswordForm(
        request.POST or None,
        ask_username=not logged_in,
        initial={"username": request.GET.get("username", "")[:256]},
    )
    error = ""
    error_code = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = change_password(
                request=request,
                username=request.user.get_username() if logged_in else data["username"],
                old_password=data["old_password"],
                new_password=data["new_password"],
                keep_session=logged_in,
            )
        except PasswordRejected as exc:
            form.add_failures(exc.failures)
        except DirectoryError as exc:
            # Not logged in, a locked account answers like a wrong password
            # (identity.messages.public_code): "locked" would tell it exists.
            if exc.code == "wrong_password" or (not logged_in and public_code(exc) != exc.code):
                # Only the current password was wrong: say so on its field.
                # Logged in, the new password typed twice is kept; from the
                # login page it is not (the answer must not depend on it).
                form.add_error("old_password", _wrong_old_password(logged_in))
                if logged_in:
                    for name in ("new_password", "confirm_password"):
                        form.fields[name].widget.render_value = True
            else:
                error, error_code = message_for(exc), exc.code
        else:
            request.session[_DONE_KEY] = {"purpose": "change", "notified": list(result.notified)}
            return HttpResponseRedirect(reverse("change_password_done"))
    rules = _password_rules(request)
    return render(
        request,
        "reset/change_password.html",
        {
            "form": form,
            "error": error,
            "error_code": error_code,
            "logged_in": logged_in,
            "rules": rules,
            "rules_json": json.dumps(rules, ensure_ascii=False) if rules else "",
        },
        status=400 if (error or form.errors) else 200,
    )


@never_cache
def change_password_done_view(request):
    done = request.session.get(_DONE_KEY)
    if not done:
        return HttpResponseRedirect(reverse("change_password"))
    return render(request, "reset/done.html", {"purpose": "change", "done": done})
