from __future__ import annotations

import logging

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.template import loader
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control

from enrollment.policy import policy_for
from enrollment.stars import star_meter
from identity.directory import DirectoryError, get_directory

from .branding import LOGO_TYPES, brand_css, get_brand, logo_path


@login_required
def home(request):
    guid = request.user.directory_guid or ""
    try:
        user = get_directory().get_user(guid) if guid else None
        policy = policy_for(user=user) if user is not None else None
    except DirectoryError:
        policy = None  # the row by the default policy; nothing is decided here
    meter = star_meter(user_guid=guid, policy=policy)
    return render(request, "portal/home.html", {"meter": meter, "policy": policy})


# --- The brand: colour and logo from settings --------------------------------


@cache_control(public=True, max_age=300)
def brand_stylesheet(request):
    """The primary colour as CSS custom properties (a file, not an inline
    style: the Content-Security-Policy allows styles from 'self' only)."""
    return HttpResponse(brand_css(get_brand()), content_type="text/css; charset=utf-8")


@cache_control(public=True, max_age=300)
def brand_logo(request):
    path = logo_path()
    if path is None:
        raise Http404
    response = FileResponse(path.open("rb"), content_type=LOGO_TYPES[path.suffix.lower()])
    if path.suffix.lower() == ".svg":
        # An SVG opened on its own must not run script.
        response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response


# --- Error pages: in the user's language, with the header and ways forward ---


def _ways_forward(request) -> list[dict[str, str]]:
    links = [{"url": reverse("home"), "text": _("Till startsidan")}]
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        links[0] = {"url": reverse("login"), "text": _("Logga in")}
    links += [
        {"url": reverse("reset_start"), "text": _("Glömt lösenordet? Välj Nytt lösenord")},
        {"url": reverse("unlock_start"), "text": _("Är kontot låst? Lås upp kontot")},
    ]
    return links


def _texts(status: int) -> tuple[str, str]:
    if status == 400:
        return _("Det gick inte att läsa det du skickade"), _(
            "Sidan fick en begäran den inte kunde läsa. Gå tillbaka och försök igen."
        )
    if status == 403:
        return _("Du har inte behörighet till sidan"), _(
            "Sidan kräver en behörighet som ditt konto inte har."
        )
    if status == 404:
        return _("Sidan finns inte"), _(
            "Adressen kan vara felskriven, eller så finns sidan inte längre."
        )
    return _("Något gick fel"), _(
        "Ett fel uppstod hos oss. Ingenting har ändrats. Försök igen om en stund."
    )


def error_page(request, status: int, *, heading: str = "", explanation: str = "") -> HttpResponse:
    default_heading, default_explanation = _texts(status)
    context = {
        "status": status,
        "heading": heading or default_heading,
        "explanation": explanation or default_explanation,
        "links": _ways_forward(request),
    }
    return render(request, "portal/error.html", context, status=status)


def bad_request(request, exception=None):
    return error_page(request, 400)


def permission_denied(request, exception=None):
    return error_page(request, 403)


def page_not_found(request, exception=None):
    return error_page(request, 404)


def csrf_failure(request, reason=""):
    """A form that was open too long, or sent after logging out in another tab."""
    return error_page(
        request,
        403,
        heading=_("Sidan hade gått ut"),
        explanation=_(
            "Formuläret hann gå ut, till exempel för att sidan var öppen länge eller för att "
            "du loggade in eller ut i en annan flik. Ingenting har sparats. Öppna sidan igen "
            "och försök en gång till."
        ),
    )


def server_error(request):
    """Django's 500 handler. A write that lost a race for SQLite's lock (the
    demo's database, under a burst) is an expected case: the user is told to
    try again (503), and the log gets one line, no traceback."""
    import sys

    from django.db import OperationalError

    exc = sys.exc_info()[1]
    if isinstance(exc, OperationalError) and "locked" in str(exc):
        logging.getLogger("portal.busy").warning(
            "database busy: %s %s", request.method, request.path
        )
        response = error_page(
            request,
            503,
            heading=_("Försök igen om en stund"),
            explanation=_(
                "Portalen hade för mycket att göra just då, så det du gjorde kanske inte "
                "sparades. Vänta några sekunder och försök igen."
            ),
        )
        response["Retry-After"] = "2"
        response._has_been_logged = True  # logged above, without the traceback
        return response
    try:
        return error_page(request, 500)
    except Exception:  # noqa: BLE001  the page itself failed: say it plainly
        logging.getLogger("portal").warning("the 500 page could not be drawn", exc_info=True)
        body = loader.get_template("500.html").render()
        return HttpResponse(body, status=500)
