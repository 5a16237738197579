"""What the order page shows: the status JSON the browser polls."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from enrollment.device import is_mobile
from enrollment.proofs import get_flow, mark_proved, record_failure

from . import risk
from .messages import error_message, status_message, user_message
from .models import BankIDOrder
from .orders import kick_if_stalled, note_browser_poll, qr_content
from .qr import qr_svg

QR_LABEL = gettext_lazy("QR-kod för Mobilt BankID")

Status = BankIDOrder.Status
Outcome = BankIDOrder.Outcome

# Shown while the app has not picked the order up: then the QR is scanned.
_QR_HINTS = {"", "outstandingTransaction", "noClient"}

OUTCOME_MESSAGES = {
    Outcome.MISMATCH: "PORTAL_MISMATCH",
    Outcome.DIRECTORY_MISMATCH: "PORTAL_DIRECTORY_MISMATCH",
    Outcome.ALREADY_ENROLLED: "PORTAL_ALREADY_ENROLLED",
    Outcome.HELD: "PORTAL_HELD",
}


def outcome_text(code: str) -> str:
    texts = {
        "PORTAL_MISMATCH": _(
            "Identifieringen gjordes med ett annat BankID än det som behövdes. Försök igen "
            "med ditt eget BankID."
        ),
        "PORTAL_DIRECTORY_MISMATCH": _(
            "Personnumret i ditt BankID stämmer inte med det som är registrerat för ditt "
            "konto. Kontakta IT-supporten om du tror att det är fel."
        ),
        "PORTAL_ALREADY_ENROLLED": _(
            "Det här BankID:t kan inte registreras för ditt konto. Kontakta IT-supporten "
            "om du behöver hjälp."
        ),
        "PORTAL_HELD": _(
            "Ditt konto är spärrat för ändringar efter ”Det var inte jag”, så BankID "
            "registrerades inte. Kontakta IT-supporten."
        ),
        "PORTAL_ENROLLED": _("Du har nu registrerat ditt BankID för återställning av lösenord"),
        "PORTAL_VERIFIED": _("Du är identifierad med Mobilt BankID."),
    }
    return texts.get(code, str(user_message("RFA22")))


def order_message(
    order: BankIDOrder, *, qr_shown: bool | None = None, on_mobile: bool = False
) -> str:
    """The text for the order now. ``qr_shown``: the user scans the QR (another
    device) rather than opening the app through the link on this one; by
    default a QR was shown unless it is a helpdesk (phone) order."""
    if order.status == Status.COMPLETE:
        if order.outcome == Outcome.ENROLLED:
            return outcome_text("PORTAL_ENROLLED")
        if order.outcome == Outcome.VERIFIED:
            return outcome_text("PORTAL_VERIFIED")
        return risk.outcome_message(order.outcome) or outcome_text(
            OUTCOME_MESSAGES.get(order.outcome, "")
        )
    if order.status == Status.ERROR:
        return str(user_message(error_message(order.error_code)))
    if order.status == Status.CANCELLED:
        return str(user_message("RFA6"))
    if order.status == Status.EXPIRED:
        return str(user_message("RFA8"))
    if qr_shown is None:
        qr_shown = order.purpose != BankIDOrder.Purpose.HELPDESK
    code = status_message(
        order.status,
        order.hint_code or "outstandingTransaction",
        qr_shown=qr_shown,
        on_mobile=on_mobile,
    )
    return str(user_message(code or "RFA21"))


def next_url(order: BankIDOrder, request) -> str:
    if order.purpose == BankIDOrder.Purpose.VERIFY:
        flow = get_flow(request, order.flow_id)
        if flow is not None and order.status == Status.COMPLETE:
            return flow.return_url
    return reverse("bankid_done", kwargs={"order_id": order.pk})


def apply_proof(order: BankIDOrder, request) -> None:
    """A verified proof-flow order earns its stars in the session's flow; a
    completed order of the wrong person counts as a failed proof (once)."""
    if order.purpose != BankIDOrder.Purpose.VERIFY:
        return
    flow = get_flow(request, order.flow_id)
    if flow is None or flow.user_guid != order.user_guid:
        return
    if order.outcome in (Outcome.VERIFIED, Outcome.VERIFIED_STEP_UP):
        if "bankid" not in flow.proved:
            risk.apply_risk_to_flow(request, flow, order)
            mark_proved(request, flow, "bankid")
    elif order.status == Status.COMPLETE:
        counted = flow.data.setdefault("bankid_failed_orders", [])
        if str(order.pk) not in counted:
            counted.append(str(order.pk))
            record_failure(request, flow)


def qr_image(state: dict) -> str:
    """The QR of a poll's state as inline SVG, for the page's first view (and
    for browsers without JavaScript, which reload the page)."""
    return qr_svg(state["qr"], label=str(QR_LABEL)) if state.get("qr") else ""


def order_state(order: BankIDOrder, request, *, mode: str = "", session_less: bool = False) -> dict:
    """The JSON for one poll. Reads the order; writes nothing but a cache key
    (and, once, the proof into the session).

    ``mode`` is how the user starts the app: "link" (on this device) or "qr"
    (another device); by default the link on a phone and the QR elsewhere.
    ``session_less``: a poll with the page's token (``poll.py``), which must
    not touch the session: a finished order sends the browser to the order
    page, which does what the end means for the session (the proof) there."""
    on_mobile = is_mobile(request)
    if mode not in ("link", "qr"):
        mode = "link" if on_mobile else "qr"
    if hasattr(order, "last_poll_mark"):  # polled_order read it with the snapshot
        note_browser_poll(order.pk, order.last_poll_mark)
    else:
        note_browser_poll(order.pk)
    pending = order.status == Status.PENDING
    if pending and not session_less:
        kick_if_stalled(order)
    helpdesk = order.purpose == BankIDOrder.Purpose.HELPDESK
    show_qr = pending and mode == "qr" and not helpdesk and (order.hint_code or "") in _QR_HINTS
    state = {
        "status": order.status,
        "hint": order.hint_code,
        "message": order_message(
            order, qr_shown=None if helpdesk else mode == "qr", on_mobile=on_mobile
        ),
        # The QR content; the page draws it (static/js/bankid-order.js). Drawing
        # it here on every poll was most of the poll's time.
        "qr": qr_content(order) if show_qr else None,
        "done": not pending,
    }
    if not pending and session_less:
        state["next"] = reverse("bankid_order", kwargs={"order_id": order.pk}) + f"?mode={mode}"
    elif not pending:
        apply_proof(order, request)
        state["next"] = next_url(order, request)
        if state["next"] == reverse("bankid_done", kwargs={"order_id": order.pk}):
            state["next"] += f"?mode={mode}"  # the done page's message depends on it
    return state
