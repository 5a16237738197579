"""Mobilt BankID pages: enrol, verify in a proof flow, and the order page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from enrollment import proofs
from enrollment.decorators import fresh_login_required
from enrollment.device import is_mobile
from enrollment.models import Enrollment
from enrollment.stepup import finish_step_up, services_to_prove, step_up_page

from . import returns
from .errors import BankIDError
from .forms import PersonalNumberForm
from .messages import user_message
from .models import BankIDOrder
from .orders import (
    StartRefused,
    cancel_order,
    get_order,
    polled_order,
    start_order,
    token_polled_order,
)
from .pnr import hash_personal_number
from .poll import make_poll_token
from .qr import autostart_url
from .service import BankIDService
from .status import QR_LABEL, order_message, order_state, qr_image

SERVICE_KEY = "bankid"


def _visible_text(request) -> str:
    from django.conf import settings

    return f"Inloggning till {settings.PORTAL_NAME}"


@login_required
@fresh_login_required
@never_cache
def enroll(request):
    user = request.user
    others = services_to_prove(request, user_guid=user.directory_guid, service_key=SERVICE_KEY)
    if others:
        return step_up_page(
            request,
            service=BankIDService(),
            others=others,
            return_url=request.get_full_path(),
        )
    form = PersonalNumberForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        pnr = form.cleaned_data["personal_number"]
        try:
            order = start_order(
                request=request,
                purpose=BankIDOrder.Purpose.ENROLL,
                user_guid=user.directory_guid,
                username=user.username,
                personal_number=pnr,
                expected_hash=hash_personal_number(pnr),
                visible_text=_visible_text(request),
                return_url=returns.return_url(request),
            )
        except BankIDError as exc:
            error = str(user_message(exc.rfa))
        except StartRefused as exc:
            error = exc.message
        else:
            returns.remember(request, order)
            return HttpResponseRedirect(reverse("bankid_order", kwargs={"order_id": order.pk}))
    status = 400 if (form.errors or error) else 200
    return render(request, "bankid/enroll.html", {"form": form, "error": error}, status=status)


@never_cache
def verify(request, flow_id: str):
    """Prove identity with the enrolled BankID inside a proof flow."""
    flow = proofs.get_flow(request, flow_id)
    if flow is None:
        raise Http404
    error = ""
    if request.method == "POST":
        enrollment = (
            Enrollment.objects.filter(user_guid=flow.user_guid, service=SERVICE_KEY).first()
            if flow.user_guid
            else None
        )
        try:
            order = start_order(
                request=request,
                purpose=BankIDOrder.Purpose.VERIFY,
                user_guid=flow.user_guid,
                username=flow.username,
                expected_hash=enrollment.value_hash if enrollment else "",
                flow_id=flow.id,
                visible_text=_visible_text(request),
                return_url=returns.return_url(request),
            )
        except BankIDError as exc:
            error = str(user_message(exc.rfa))
        except StartRefused as exc:
            error = exc.message
        else:
            returns.remember(request, order)
            return HttpResponseRedirect(reverse("bankid_order", kwargs={"order_id": order.pk}))
    return render(
        request,
        "bankid/verify.html",
        {"flow": flow, "error": error},
        status=400 if error else 200,
    )


def _order_or_404(request, order_id) -> BankIDOrder:
    order = get_order(request=request, order_id=order_id)
    if order is None:
        raise Http404
    return order


@require_GET
@never_cache
def order_page(request, order_id):
    order = _order_or_404(request, order_id)
    mobile = is_mobile(request)
    state = order_state(order, request, mode=request.GET.get("mode", ""))
    if state["done"]:
        return HttpResponseRedirect(state["next"])
    token = order.auto_start_token
    poll_token = make_poll_token(order_id=order.pk, session_key=order.session_key)
    # A phone opens the app through BankID's universal link (iOS Safari,
    # Android Chrome); the order's returnUrl brings the browser back here.
    # A computer starts the BankID program through bankid:///.
    return render(
        request,
        "bankid/order.html",
        {
            "order": order,
            "state": state,
            "mobile": mobile,
            "qr_image": qr_image(state),
            "qr_label": QR_LABEL,
            "autostart": autostart_url(token, universal_link=mobile) if token else "",
            "poll_token": poll_token,
        },
    )


@require_GET
@never_cache
def order_return(request, nonce: str):
    """Where the BankID app sends the phone's browser back (the order's
    returnUrl): the nonce must be one this browser session was given."""
    order_id = returns.order_for(request, nonce)
    order = get_order(request=request, order_id=order_id) if order_id else None
    if order is None:
        return render(request, "bankid/return_unknown.html", status=400)
    return HttpResponseRedirect(reverse("bankid_order", kwargs={"order_id": order.pk}))


@require_GET
@never_cache
def order_status(request, order_id):
    """The page's poll. With the page's token (``?t=``) it needs no session
    and no database (``poll.py``); without one, or when the token poll says
    403, the session's check and a fresh token."""
    mode = request.GET.get("mode", "")
    if "t" in request.GET:
        order = token_polled_order(request=request, order_id=order_id, token=request.GET["t"])
        if order is None:
            return JsonResponse({"error": "poll-token"}, status=403)
        return JsonResponse(order_state(order, request, mode=mode, session_less=True))
    order = polled_order(request=request, order_id=order_id)
    if order is None:
        raise Http404
    state = order_state(order, request, mode=mode)
    if not state["done"]:
        state["poll"] = make_poll_token(order_id=order.pk, session_key=order.session_key)
    return JsonResponse(state)


@require_POST
def order_cancel(request, order_id):
    order = _order_or_404(request, order_id)
    cancel_order(order=order, request=request)
    order.refresh_from_db()
    back = reverse("home")
    if order.purpose == BankIDOrder.Purpose.VERIFY:
        flow = proofs.get_flow(request, order.flow_id)
        back = flow.return_url if flow else reverse("home")
    messages.info(request, order_message(order))
    return HttpResponseRedirect(back)


def _done_message(order: BankIDOrder, request) -> str:
    mode = request.GET.get("mode", "")
    if mode not in ("link", "qr"):
        mode = "link" if is_mobile(request) else "qr"
    return order_message(order, qr_shown=mode == "qr", on_mobile=is_mobile(request))


@require_GET
@never_cache
def order_done(request, order_id):
    order = _order_or_404(request, order_id)
    if not order.is_final:
        return HttpResponseRedirect(reverse("bankid_order", kwargs={"order_id": order.pk}))
    success = order.outcome in (
        BankIDOrder.Outcome.ENROLLED,
        BankIDOrder.Outcome.VERIFIED,
        BankIDOrder.Outcome.VERIFIED_STEP_UP,
    )
    if order.outcome == BankIDOrder.Outcome.ENROLLED:
        # The change is saved: the next one asks for a proof again (as Mobilkod's confirm).
        finish_step_up(request, service_key=SERVICE_KEY)
    retry = reverse("bankid_enroll")
    if order.purpose == BankIDOrder.Purpose.VERIFY:
        retry = reverse("bankid_verify", kwargs={"flow_id": order.flow_id})
    return render(
        request,
        "bankid/done.html",
        {
            "order": order,
            "success": success,
            "message": _done_message(order, request),
            "retry": retry,
        },
    )
