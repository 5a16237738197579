"""BankID's risk indication: every order asks for it (``returnRisk``), and a
completed order whose risk is ``high`` is not trusted on its own.

``BANKID_HIGH_RISK`` says what a high risk means for a proof:

- ``refuse`` (default): the proof fails, with a clear message and an audit event;
- ``stepup``: the proof counts, but only together with one more service
  (``enrollment.proofs.require_another_service``).

An enrolment or a helpdesk caller check with a high risk is always refused:
there is no second service to ask for there. ``low``, ``moderate`` and a
missing risk (BankID could not calculate one) change nothing. The collect
code calls ``assess_completion`` once where a completed order is evaluated;
the order page calls ``apply_risk_to_flow`` where a proof earns its stars.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from audit.service import record
from enrollment.proofs import require_another_service

from . import conf
from .models import BankIDOrder

Outcome = BankIDOrder.Outcome
MODES = ("refuse", "stepup")
HIGH = "high"


def high_risk_mode() -> str:
    mode = conf.get_str("BANKID_HIGH_RISK").strip().lower()
    return mode if mode in MODES else "refuse"


def assess_completion(*, order: BankIDOrder, risk: str | None, outcome: str) -> str:
    """The outcome of a completed order once its risk is weighed: ``outcome``
    unchanged unless the risk is high and the order would have passed."""
    level = (risk or "").strip().lower()
    if level != HIGH or outcome not in (Outcome.VERIFIED, Outcome.ENROLLED):
        return outcome
    step_up = order.purpose == BankIDOrder.Purpose.VERIFY and high_risk_mode() == "stepup"
    decided = Outcome.VERIFIED_STEP_UP if step_up else Outcome.RISK_REFUSED
    record(
        action="bankid.high_risk",
        result="info" if step_up else "failure",
        subject=order.username,
        subject_guid=order.user_guid,
        ip_address=order.end_user_ip,
        details={"purpose": order.purpose, "risk": level, "decision": decided},
    )
    return decided


def apply_risk_to_flow(request, flow, order: BankIDOrder) -> None:
    """A step-up order's proof needs one more service in the same flow."""
    if order.outcome == Outcome.VERIFIED_STEP_UP:
        require_another_service(request, flow, "bankid")


def outcome_message(outcome: str) -> str:
    """The order page's text for a risk outcome ("" for any other)."""
    if outcome == Outcome.RISK_REFUSED:
        return _(
            "Identifieringen kunde inte godkännas av säkerhetsskäl. Försök igen senare "
            "eller kontakta IT-supporten."
        )
    if outcome == Outcome.VERIFIED_STEP_UP:
        return _(
            "Du är identifierad med Mobilt BankID. Av säkerhetsskäl behöver du också "
            "styrka din identitet med ytterligare en tjänst."
        )
    return ""
