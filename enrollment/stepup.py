"""Changing an enrolled service needs proof through another enrolled one.

Generic over the service key, so every service's enroll view can use it: if
the user already has ``service_key`` and also has another enrolled service,
they must prove one of those in a "step_up" proof flow first. With no other
service, the fresh password login (``fresh_login_required``) is enough.

A service still in its quiet period (``enrollment.stars.maturing``) cannot
vouch for changing an older one: whoever has the password can add a service
of their own without a step-up. When only such young services are left, the
service being changed is proved itself (a code to the current number, the
current BankID).
"""

from __future__ import annotations

from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render

from enrollment import proofs
from enrollment.base import IdentityService
from enrollment.registry import all_services
from enrollment.selectors import enrolled_keys
from enrollment.stars import maturing

_SESSION_KEY = "step_up_flows"


def _flow_ids(request) -> dict:
    return request.session.get(_SESSION_KEY) or {}


def _offered(user_guid: str) -> tuple[IdentityService, ...]:
    """The services of the user's per-group policy (read now); every
    configured one when the directory does not answer."""
    from identity.directory import DirectoryError

    from .policy import policy_for_guid

    try:
        return policy_for_guid(user_guid)[0].services
    except DirectoryError:
        return all_services()


def services_to_prove(request, *, user_guid: str, service_key: str) -> list[IdentityService]:
    """The enrolled services the user must prove one of before changing
    ``service_key`` (the other ones, see the module docstring for young ones);
    empty when no proof is needed (or it was just given)."""
    keys = enrolled_keys(user_guid)
    if service_key not in keys:
        return []
    others = [s for s in _offered(user_guid) if s.key != service_key and s.key in keys]
    if not others:
        # The policy offers none of the user's other services: any of them
        # still proves more than the password alone.
        others = [s for s in all_services() if s.key != service_key and s.key in keys]
    if not others:
        return []
    young = maturing(user_guid)
    if service_key not in young:
        # An older service: only another older one may vouch, else itself.
        others = [s for s in others if s.key not in young] or [
            s for s in all_services() if s.key == service_key
        ]
    flow = proofs.get_flow(request, _flow_ids(request).get(service_key, ""), purpose="step_up")
    if flow and flow.user_guid == user_guid and any(s.key in flow.proved for s in others):
        return []
    return others


def start_step_up(
    request, *, user_guid: str, username: str, service_key: str, return_url: str
) -> proofs.ProofFlow:
    """The user's live step-up flow for ``service_key``, or a new one."""
    flow = proofs.get_flow(request, _flow_ids(request).get(service_key, ""), purpose="step_up")
    if flow is not None and flow.user_guid == user_guid:
        return flow
    flow = proofs.start_flow(
        request,
        purpose="step_up",
        user_guid=user_guid,
        username=username,
        return_url=return_url,
    )
    flows = _flow_ids(request)
    flows[service_key] = flow.id
    request.session[_SESSION_KEY] = flows
    return flow


def step_up_page(
    request, *, service: IdentityService, others: list[IdentityService], return_url: str
) -> HttpResponse:
    """The one step-up page of every service: straight on to the other service
    when there is one, otherwise a choice (``enrollment/step_up.html``)."""
    flow = start_step_up(
        request,
        user_guid=request.user.directory_guid,
        username=request.user.get_username(),
        service_key=service.key,
        return_url=return_url,
    )
    if len(others) == 1:
        return HttpResponseRedirect(others[0].verify_url(flow.id))
    choices = [(other, other.verify_url(flow.id)) for other in others]
    return render(request, "enrollment/step_up.html", {"service": service, "choices": choices})


def finish_step_up(request, *, service_key: str) -> None:
    """Forget the proof once the change is saved: the next change asks again."""
    flows = _flow_ids(request)
    flow_id = flows.pop(service_key, None)
    if flow_id:
        proofs.end_flow(request, flow_id)
        request.session[_SESSION_KEY] = flows
