from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from enrollment.stars import star_meter


@login_required
def home(request):
    meter = star_meter(user_guid=request.user.directory_guid or "")
    return render(request, "portal/home.html", {"meter": meter})


def server_error(request):
    """Django's 500 handler. A write that lost a race for SQLite's lock (the
    demo's database, under a burst) is an expected case: the user is told to
    try again (503), and the log gets one line, no traceback."""
    import logging
    import sys

    from django.db import OperationalError
    from django.views.defaults import server_error as django_server_error

    exc = sys.exc_info()[1]
    if isinstance(exc, OperationalError) and "locked" in str(exc):
        logging.getLogger("portal.busy").warning(
            "database busy: %s %s", request.method, request.path
        )
        response = render(request, "portal/busy.html", status=503)
        response["Retry-After"] = "2"
        response._has_been_logged = True  # logged above, without the traceback
        return response
    return django_server_error(request)
