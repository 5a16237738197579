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
from enrollment.models import Enrollment
from enrollment.stepup import services_to_prove, step_up_page

from .errors import BankIDError
from .forms import PersonalNumberForm
from .messages import user_message
from .models import BankIDOrder
from .orders import StartRefused, cancel_order, get_order, polled_order, start_order
from .pnr import hash_personal_number
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
            )
        except BankIDError as exc:
            error = str(user_message(exc.rfa))
        except StartRefused as exc:
            error = exc.message
        else:
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
            )
        except BankIDError as exc:
            error = str(user_message(exc.rfa))
        except StartRefused as exc:
            error = exc.message
        else:
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
    state = order_state(order, request)
    if state["done"]:
        return HttpResponseRedirect(state["next"])
    return render(
        request,
        "bankid/order.html",
        {
            "order": order,
            "state": state,
            "qr_image": qr_image(state),
            "qr_label": QR_LABEL,
            "autostart": autostart_url(order.auto_start_token) if order.auto_start_token else "",
        },
    )


@require_GET
@never_cache
def order_status(request, order_id):
    order = polled_order(request=request, order_id=order_id)
    if order is None:
        raise Http404
    return JsonResponse(order_state(order, request))


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


@require_GET
@never_cache
def order_done(request, order_id):
    order = _order_or_404(request, order_id)
    if not order.is_final:
        return HttpResponseRedirect(reverse("bankid_order", kwargs={"order_id": order.pk}))
    success = order.outcome in (BankIDOrder.Outcome.ENROLLED, BankIDOrder.Outcome.VERIFIED)
    retry = reverse("bankid_enroll")
    if order.purpose == BankIDOrder.Purpose.VERIFY:
        retry = reverse("bankid_verify", kwargs={"flow_id": order.flow_id})
    return render(
        request,
        "bankid/done.html",
        {
            "order": order,
            "success": success,
            "message": order_message(order),
            "retry": retry,
        },
    )
