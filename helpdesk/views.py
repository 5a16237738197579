"""The helpdesk's pages in the admin site. Thin: parse, call a service, render.

Every view is wrapped by ``PortalAdminSite.admin_view`` (staff only, audited);
each one checks its own permission as well.
"""

from __future__ import annotations

from functools import wraps

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from audit.service import record
from enrollment.models import Enrollment
from identity import holds
from identity.directory import DirectoryError
from reset.expiry import SOON_DAYS, count_expiring

from . import caller, chart, coverage, services
from .forms import RemoveEnrollmentForm, SearchForm
from .messages import message
from .search import search_users


def permission_required(perm: str):
    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.has_perm(perm):
                record(
                    action="admin.view",
                    result="denied",
                    request=request,
                    details={"path": request.path[:500], "permission": perm},
                )
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def render(request, template: str, context: dict, *, title: str, status: int = 200):
    return TemplateResponse(
        request,
        template,
        {**admin.site.each_context(request), "title": title, **context},
        status=status,
    )


def _user_url(guid: str) -> str:
    return reverse("admin:helpdesk_user", kwargs={"guid": guid})


@permission_required("helpdesk.helpdesk_find_user")
def find_user(request):
    form = SearchForm(request.GET if "q" in request.GET else None)
    hits = None
    error = ""
    if form.is_bound and form.is_valid():
        query = form.cleaned_data["q"]
        try:
            hits = search_users(query)
            stars = services.stars_by_guid(hits)
        except DirectoryError as exc:
            error, hits = message(exc.code), None
        else:
            hits = [(hit, stars[hit.guid]) for hit in hits]
        record(
            action="helpdesk.search",
            result="error" if error else "info",
            request=request,
            details={"query": services.mask_query(query), "hits": len(hits or ())},
        )
    return render(
        request,
        "helpdesk/find_user.html",
        {"form": form, "hits": hits, "error": error},
        title=_("Sök användare"),
        status=503 if error else 200,
    )


@permission_required("helpdesk.helpdesk_find_user")
def user_detail(request, guid: str):
    try:
        profile = services.user_profile(request=request, guid=guid)
    except DirectoryError as exc:
        return render(
            request,
            "helpdesk/user_missing.html",
            {"error": message(exc.code)},
            title=_("Användare"),
            status=404 if exc.code == "user_not_found" else 503,
        )
    return render(
        request,
        "helpdesk/user.html",
        {
            "profile": profile,
            "u": profile.user,
            "meter": profile.meter,
            "verification": caller.verification_state(request, guid),
            "caller_methods": caller.available_methods(guid),
            "audit_url": reverse("admin:audit_auditevent_changelist") + f"?subject_guid={guid}",
            "can_unlock": request.user.has_perm("helpdesk.helpdesk_unlock"),
            "can_remove": request.user.has_perm("enrollment.delete_enrollment"),
            "can_verify": request.user.has_perm("helpdesk.helpdesk_verify_caller"),
            "can_view_audit": request.user.has_perm("audit.view_auditevent"),
            "hold": holds.active_hold(guid),
        },
        title=profile.user.display_name or profile.user.username,
    )


@permission_required("enrollment.delete_enrollment")
def remove_enrollment(request, guid: str, pk: int):
    enrollment = get_object_or_404(Enrollment, pk=pk, user_guid=guid)
    form = RemoveEnrollmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        sent = services.remove_enrollment_by_helpdesk(
            request=request, enrollment=enrollment, reason=form.cleaned_data["reason"]
        )
        if sent:
            messages.success(request, message("removed_mailed"))
        else:
            messages.warning(request, message("removed_not_mailed"))
        return HttpResponseRedirect(_user_url(guid))
    row = next((r for r in services.enrollment_rows(guid) if r.pk == enrollment.pk), None)
    return render(
        request,
        "helpdesk/remove_enrollment.html",
        {"form": form, "row": row, "guid": guid, "user_url": _user_url(guid)},
        title=_("Ta bort registrering"),
        status=400 if form.is_bound else 200,
    )


@require_POST
@permission_required("helpdesk.helpdesk_unlock")
def unlock(request, guid: str):
    try:
        services.unlock_account(
            request=request, guid=guid, caller_verified=caller.is_verified(request, guid)
        )
    except DirectoryError as exc:
        messages.error(request, message(exc.code))
    else:
        messages.success(request, message("unlocked"))
    return HttpResponseRedirect(_user_url(guid))


@require_POST
@permission_required("helpdesk.helpdesk_unlock")
def clear_hold(request, guid: str):
    """Clear the owner's "Det var inte jag" hold after talking to them."""
    if holds.clear_hold(request=request, user_guid=guid):
        messages.success(request, _("Spärren är borttagen."))
    else:
        messages.info(request, _("Kontot har ingen spärr."))
    return HttpResponseRedirect(_user_url(guid))


@sensitive_post_parameters("personal_number", "code")
@permission_required("helpdesk.helpdesk_verify_caller")
def verify_caller(request, guid: str, method: str):
    try:
        return caller.handle(request, guid=guid, method=method, render=render)
    except DirectoryError as exc:
        return render(
            request,
            "helpdesk/user_missing.html",
            {"error": message(exc.code)},
            title=_("Kontrollera vem som ringer"),
            status=404 if exc.code == "user_not_found" else 503,
        )


@permission_required("helpdesk.view_coverage")
def coverage_view(request):
    try:
        report = coverage.coverage_report()
        expiring = count_expiring(days=SOON_DAYS)
    except DirectoryError as exc:
        return render(
            request,
            "helpdesk/user_missing.html",
            {"error": message(exc.code)},
            title=_("Registreringsgrad"),
            status=503,
        )
    return render(
        request,
        "helpdesk/coverage.html",
        {
            "report": report,
            "activity_chart": chart.activity_chart(report.days),
            "coverage_chart": chart.coverage_chart([report.total, *report.ous]),
            "expiring": expiring,
            "expiring_days": SOON_DAYS,
        },
        title=_("Registreringsgrad"),
    )
