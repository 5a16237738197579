"""Checking a caller for the helpdesk with Mobilt BankID while on the phone
(``/phone/auth``; ``BankIDService.check_caller``).

The helpdesk types the personnummer the caller gives. If it does not hash to
the user's enrolled BankID, the check fails at once and no order is started;
otherwise BankID asks that person to identify in their app ("the user called
us"), and the completed order must be the enrolled person
(``BankIDOrder.expected_hash``, checked by services.bankid.collect).
The page polls its own JSON with the BankID order page's script.
"""

from __future__ import annotations

import secrets
import time
import uuid

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from audit.service import client_ip, record
from enrollment.base import CallerCheck
from enrollment.models import Enrollment
from identity import protection
from services.bankid import get_bankid_backend
from services.bankid.errors import BankIDError
from services.bankid.messages import error_message, user_message
from services.bankid.models import BankIDOrder
from services.bankid.orders import (
    StartRefused,
    cancel_order,
    collect_interval,
    get_order,
    note_browser_poll,
    queue_collect,
    republish,
    start_checks,
)
from services.bankid.pnr import (
    InvalidPersonalNumber,
    hash_personal_number,
    normalize_personal_number,
)
from services.bankid.status import order_state

from .forms import CallerPersonalNumberForm

_SESSION_KEY = "helpdesk_bankid_orders"
METHOD = "bankid"


def _url(guid: str) -> str:
    return reverse("admin:helpdesk_verify", kwargs={"guid": guid, "method": METHOD})


def _orders(request) -> dict:
    return request.session.get(_SESSION_KEY) or {}


def _current_order(request, guid: str) -> BankIDOrder | None:
    entry = _orders(request).get(guid)
    return get_order(request=request, order_id=entry["order"]) if entry else None


def _remember(request, guid: str, order: BankIDOrder) -> None:
    orders = _orders(request)
    orders[guid] = {"order": str(order.pk), "concluded": False}
    request.session[_SESSION_KEY] = orders


def start_phone_check(
    *, request, user, personal_number: str, expected_hash: str, order_id: str = ""
) -> BankIDOrder:
    """Start a ``/phone/auth`` order for the caller and its collect chain,
    counted against the BankID start limits. Raises BankIDError, StartRefused."""
    order_id = order_id or str(uuid.uuid4())
    try:
        protection.check_rate(
            start_checks(request=request, user_guid=user.guid, username=user.username),
            request=request,
            action="bankid.order_refused",
            subject=user.username,
            subject_guid=user.guid,
        )
    except protection.Refused as exc:
        raise StartRefused(exc.code) from None
    started = get_bankid_backend().phone_auth(
        personal_number,
        "user",
        user_visible_data=_("IT-supporten kontrollerar att det är du som ringer."),
    )
    if not request.session.session_key:
        request.session.save()
    token = secrets.token_hex(8)
    with transaction.atomic():
        order = BankIDOrder.objects.create(
            id=order_id,
            purpose=BankIDOrder.Purpose.HELPDESK,
            user_guid=user.guid,
            username=user.username,
            session_key=request.session.session_key,
            order_ref=started.order_ref,
            started_at=started.started_at,
            end_user_ip=client_ip(request),
            expected_hash=expected_hash,
            collect_token=token,
            last_collect_at=time.time(),
        )
        queue_collect(order.pk, token, collect_interval())
        republish(order.pk)
    note_browser_poll(order.pk)
    return order


def _conclude(request, user, order: BankIDOrder, finish) -> None:
    """Record the outcome of a finished order, once."""
    orders = _orders(request)
    entry = orders.get(user.guid)
    if not entry or entry["order"] != str(order.pk) or entry["concluded"]:
        return
    entry["concluded"] = True
    request.session[_SESSION_KEY] = orders
    verified = (
        order.status == BankIDOrder.Status.COMPLETE
        and order.outcome == BankIDOrder.Outcome.VERIFIED
    )
    reason = "" if verified else (order.outcome or order.hint_code or order.status)
    finish(request, user=user, method=METHOD, verified=verified, reason=reason)


def _start(request, *, user, enrollment, form, finish, guard):
    try:
        pnr = normalize_personal_number(form.cleaned_data["personal_number"])
    except InvalidPersonalNumber as exc:
        form.add_error("personal_number", str(exc.message))
        return None
    order_id = str(uuid.uuid4())
    try:
        check = guard.begin_check(request=request, user=user, method=METHOD, token=order_id)
    except guard.CheckRefused as exc:
        messages.error(request, exc.message)
        return HttpResponseRedirect(_url(user.guid))
    # Compared only after the check was counted: a wrong number is a miss of
    # the member and a failed proof of the account, and both are limited.
    if hash_personal_number(pnr) != enrollment.value_hash:
        guard.check_missed(check, request=request)
        finish(request, user=user, method=METHOD, verified=False, reason="personal_number_mismatch")
        messages.error(
            request, _("Personnumret är inte det som användaren har registrerat med Mobilt BankID.")
        )
        return HttpResponseRedirect(_url(user.guid))
    try:
        order = start_phone_check(
            request=request,
            user=user,
            personal_number=pnr,
            expected_hash=enrollment.value_hash,
            order_id=order_id,
        )
    except BankIDError as exc:
        guard.check_passed(check)
        messages.error(request, str(user_message(error_message(exc.error_code))))
        return HttpResponseRedirect(_url(user.guid))
    except StartRefused as exc:
        guard.check_passed(check)
        messages.error(request, exc.message)
        return HttpResponseRedirect(_url(user.guid))
    guard.check_handed_over(check)
    _remember(request, user.guid, order)
    record(
        action="helpdesk.verify_caller",
        result="info",
        request=request,
        subject=user.username,
        subject_guid=user.guid,
        details={"method": METHOD, "step": "order_started"},
    )
    return HttpResponseRedirect(_url(user.guid))


def handle(request, *, user, render, finish, guard):
    enrollment = Enrollment.objects.filter(user_guid=user.guid, service=METHOD).first()
    if enrollment is None:
        raise Http404
    order = _current_order(request, user.guid)
    if request.GET.get("format") == "json":
        if order is None:
            raise Http404
        state = order_state(order, request)
        state.pop("qr", None)
        if state["done"]:
            _conclude(request, user, order, finish)
            state["next"] = reverse("admin:helpdesk_user", args=[user.guid])
        return JsonResponse(state)
    action = request.POST.get("action") if request.method == "POST" else ""
    form = CallerPersonalNumberForm(request.POST if action == "start" else None)
    if action == "start" and form.is_valid():
        response = _start(
            request, user=user, enrollment=enrollment, form=form, finish=finish, guard=guard
        )
        if response is not None:
            return response
    if action == "cancel" and order is not None:
        cancel_order(order=order, request=request)
        return HttpResponseRedirect(_url(user.guid))
    state = order_state(order, request) if order is not None else None
    if state and state["done"]:
        _conclude(request, user, order, finish)
    return render(
        request,
        "helpdesk/verify_bankid.html",
        {
            "u": user,
            "display": enrollment.display,
            "form": form,
            "order": order if state and not state["done"] else None,
            "state": state,
            "status_url": _url(user.guid) + "?format=json",
            "user_url": reverse("admin:helpdesk_user", args=[user.guid]),
        },
        title=_("Kontrollera vem som ringer"),
        status=400 if form.is_bound and form.errors else 200,
    )


def check_caller(check: CallerCheck):
    """``BankIDService.check_caller``: the helpdesk's page for this check."""
    return handle(
        check.request, user=check.user, render=check.render, finish=check.finish, guard=check.guard
    )
