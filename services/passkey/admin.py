"""Keys in the helpdesk's admin: shown by name and dates (never the key
material), and one key at a time removed with a reason. Removing all of a
user's keys is the helpdesk's "remove" of the passkey enrolment, which takes
the keys with it. No caller check: a passkey cannot be read over the phone."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from audit.admin import ReadOnlyModelAdmin

from .keys import remove_passkey
from .models import PasskeyCredential

VIEW_PERMISSION = "enrollment.view_enrollment"
REMOVE_PERMISSION = "enrollment.delete_enrollment"


class RemoveKeyForm(forms.Form):
    reason = forms.CharField(
        label=_("Anledning"),
        help_text=_("Sparas i granskningsloggen, t.ex. ”Nyckeln är borttappad, ärende 1234”."),
        max_length=500,
        min_length=5,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        error_messages={
            "required": _("Skriv varför nyckeln tas bort."),
            "min_length": _("Skriv en anledning på minst fem tecken."),
        },
    )


@admin.register(PasskeyCredential)
class PasskeyCredentialAdmin(ReadOnlyModelAdmin):
    list_display = ["name", "username", "created_at", "last_used_at", "actions_link"]
    search_fields = ["enrollment__username", "=user_guid", "name"]
    fields = ["name", "username", "created_at", "last_used_at", "attachment", "backed_up"]
    readonly_fields = fields
    list_select_related = ["enrollment"]
    show_facets = admin.ShowFacets.NEVER

    def has_module_permission(self, request) -> bool:
        return request.user.has_perm(VIEW_PERMISSION)

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.has_perm(VIEW_PERMISSION)

    def get_queryset(self, request):
        # Never the public key or the credential id: not needed to help anyone.
        return super().get_queryset(request).defer("public_key", "credential_id")

    @admin.display(description=_("användare"), ordering="enrollment__username")
    def username(self, key: PasskeyCredential) -> str:
        return key.enrollment.username

    @admin.display(description=_("åtgärd"))
    def actions_link(self, key: PasskeyCredential) -> str:
        url = reverse("admin:passkey_passkeycredential_remove", kwargs={"pk": key.pk})
        return format_html(
            '<a href="{}" class="deletelink">{}<span class="visually-hidden"> {}</span></a>',
            url,
            _("Ta bort"),
            key.name,
        )

    def get_urls(self):
        own = [
            path(
                "<int:pk>/remove/",
                self.admin_site.admin_view(self.remove_view),
                name="passkey_passkeycredential_remove",
            )
        ]
        return own + super().get_urls()

    def remove_view(self, request, pk: int):
        if not request.user.has_perm(REMOVE_PERMISSION):
            raise PermissionDenied
        key = get_object_or_404(PasskeyCredential.objects.select_related("enrollment"), pk=pk)
        form = RemoveKeyForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            guid = key.user_guid
            remove_passkey(
                request=request,
                user_guid=guid,
                key_id=key.pk,
                actor=request.user.get_username(),
                reason=form.cleaned_data["reason"],
            )
            messages.success(request, _("Nyckeln %(name)s är borttagen.") % {"name": key.name})
            return HttpResponseRedirect(reverse("admin:helpdesk_user", kwargs={"guid": guid}))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Ta bort nyckeln"),
            "key": key,
            "form": form,
            "opts": self.model._meta,
            "user_url": reverse("admin:helpdesk_user", kwargs={"guid": key.user_guid}),
        }
        status = 400 if form.is_bound else 200
        return TemplateResponse(request, "admin/passkey/remove.html", context, status=status)
