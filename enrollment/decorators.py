"""View guards for enrollment pages."""

from __future__ import annotations

import time
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render

from identity.holds import is_on_hold

from . import conf


def fresh_login_required(view):
    """Enrolling needs a recent login with the directory password: an old
    session (a PC left unlocked) must type the password again."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        auth_at = request.session.get("auth_at", 0)
        if not request.user.is_authenticated or time.time() - auth_at > conf.fresh_login_seconds():
            return redirect_to_login(request.get_full_path())
        if is_on_hold(request.user.directory_guid or ""):
            # The owner said "Det var inte jag": no enrolment changes until
            # the helpdesk has talked to them (the owner knows of the hold).
            return render(request, "enrollment/on_hold.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper
