"""The helpdesk's admin site: Django's admin, reached through the AD login,
every view audited, with the helpdesk's own pages (helpdesk)."""

from __future__ import annotations

from functools import update_wrapper

from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from audit.service import record
from helpdesk import urls as helpdesk_urls


def _audit_view(request, result: str) -> None:
    record(
        action="admin.view",
        result=result,
        request=request,
        details={"path": request.path[:500], "method": request.method},
    )


class PortalAdminSite(admin.AdminSite):
    site_header = _("Självserviceportalen – helpdesk")
    site_title = _("Helpdesk")
    index_title = _("Helpdesk")
    site_url = "/"

    def admin_view(self, view, cacheable=False):
        """Django's check, but: anonymous visitors go to the AD login, logged-in
        users without staff rights get 403, and every view is audited."""

        def audited(request, *args, **kwargs):
            _audit_view(request, "info")
            return view(request, *args, **kwargs)

        checked = super().admin_view(update_wrapper(audited, view), cacheable)

        def guard(request, *args, **kwargs):
            if not self.has_permission(request):
                if not request.user.is_authenticated:
                    return redirect_to_login(request.get_full_path())
                _audit_view(request, "denied")
                raise PermissionDenied
            return checked(request, *args, **kwargs)

        return update_wrapper(guard, checked)

    @method_decorator(never_cache)
    def login(self, request, extra_context=None):
        """No login form of its own: the helpdesk logs in with the AD password."""
        target = request.GET.get(REDIRECT_FIELD_NAME) or reverse("admin:index")
        if not url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            target = reverse("admin:index")
        if request.user.is_authenticated:
            if not self.has_permission(request):
                _audit_view(request, "denied")
                raise PermissionDenied
            return HttpResponseRedirect(target)
        return redirect_to_login(target)

    def password_change(self, request, extra_context=None):
        # Passwords live in AD; the portal has its own change-password page.
        raise Http404

    def password_change_done(self, request, extra_context=None):
        raise Http404

    def get_urls(self):
        own = [
            path(route, self.admin_view(view), name=name)
            for route, view, name in helpdesk_urls.routes()
        ]
        return own + super().get_urls()

    def get_app_list(self, request, app_label=None):
        app_list = super().get_app_list(request, app_label)
        if app_label is None:
            tools = helpdesk_urls.menu(request)
            if tools:
                # The helpdesk app's own models (reminders) follow its pages.
                own = next((a for a in app_list if a["app_label"] == "helpdesk"), None)
                if own is not None:
                    app_list.remove(own)
                app_list.insert(
                    0,
                    {
                        "name": _("Helpdesk"),
                        "app_label": "helpdesk",
                        "app_url": tools[0]["admin_url"],
                        "has_module_perms": True,
                        "models": tools + (own["models"] if own else []),
                    },
                )
        return app_list
