"""Passkey pages: the user's keys (add, rename, remove) and the proof in a flow.

Thin: parse the form, call a service, render. The services write the audit.
Every change goes through the core's fresh-login and step-up rules.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from enrollment import proofs, stepup
from enrollment.decorators import fresh_login_required

from .ceremony import PasskeyError
from .keys import get_key, remove_passkey, rename_passkey, user_keys
from .messages import message
from .register import complete_registration, registration_options
from .service import PasskeyService
from .verify import proof_options, prove_with_passkey

KEY = PasskeyService.key


def _step_up(request, guid: str):
    """The step-up page when a change needs a proof through another service."""
    others = stepup.services_to_prove(request, user_guid=guid, service_key=KEY)
    if not others:
        return None
    return stepup.step_up_page(
        request, service=PasskeyService(), others=others, return_url=reverse("passkey_manage")
    )


def _guid(request) -> str:
    guid = request.user.directory_guid or ""
    if not guid:
        raise Http404
    return guid


@never_cache
@login_required
@fresh_login_required
def manage(request):
    guid = _guid(request)
    step_up = _step_up(request, guid)
    if step_up is not None:
        return step_up
    user = request.user
    error, name = "", ""
    if request.method == "POST":
        try:
            if request.POST.get("action") == "rename":
                key = rename_passkey(
                    request=request,
                    user_guid=guid,
                    key_id=request.POST.get("key"),
                    name=request.POST.get("name", ""),
                )
                messages.success(request, _("Nyckeln heter nu %(name)s.") % {"name": key.name})
                return redirect("passkey_manage")
            name = request.POST.get("name", "")[:200]
            key = complete_registration(
                request=request,
                user_guid=guid,
                username=user.get_username(),
                response=request.POST.get("credential", ""),
                name=name,
                client_error=request.POST.get("client_error", ""),
            )
        except PasskeyError as exc:
            error = exc.message
        else:
            stepup.finish_step_up(request, service_key=KEY)
            messages.success(
                request,
                _("Du har nu registrerat %(name)s för återställning av lösenord!")
                % {"name": key.name},
            )
            return redirect("home")
    options = registration_options(
        request=request,
        user_guid=guid,
        username=user.get_username(),
        display_name=getattr(user, "display_name", "") or "",
    )
    context = {
        "keys": user_keys(guid),
        "options": options,
        "error": error,
        "name": name,
        "unsupported": message("unsupported"),
    }
    return render(request, "passkey/manage.html", context, status=400 if error else 200)


@never_cache
@login_required
@fresh_login_required
def remove(request, key_id: int):
    guid = _guid(request)
    step_up = _step_up(request, guid)
    if step_up is not None:
        return step_up
    try:
        key = get_key(user_guid=guid, key_id=key_id)
    except PasskeyError:
        raise Http404 from None
    if request.method == "POST":
        left = remove_passkey(request=request, user_guid=guid, key_id=key.pk)
        stepup.finish_step_up(request, service_key=KEY)
        messages.success(request, _("Nyckeln %(name)s är borttagen.") % {"name": key.name})
        return redirect("passkey_manage" if left else "home")
    return render(request, "passkey/remove.html", {"key": key})


def _safe_return(request, url: str) -> str:
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        return url
    return reverse("home")


@never_cache
def verify(request, flow_id: str):
    flow = proofs.get_flow(request, flow_id)
    if flow is None:
        context = {"expired_message": message("flow_expired")}
        return render(request, "passkey/verify.html", context, status=400)
    if KEY in flow.proved:
        return HttpResponseRedirect(_safe_return(request, flow.return_url))
    error = ""
    if request.method == "POST":
        try:
            prove_with_passkey(
                request=request,
                flow=flow,
                response=request.POST.get("credential", ""),
                client_error=request.POST.get("client_error", ""),
            )
        except PasskeyError as exc:
            error = exc.message
        else:
            return HttpResponseRedirect(_safe_return(request, flow.return_url))
    context = {
        "flow": flow,
        "options": proof_options(request=request, flow=flow),
        "error": error,
        "unsupported": message("unsupported"),
        "back": _safe_return(request, flow.return_url),
    }
    return render(request, "passkey/verify.html", context, status=400 if error else 200)
