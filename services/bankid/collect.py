"""Collecting an order (run by the Celery task) and what a completed order means."""

from __future__ import annotations

import logging
import secrets
import time

from django.conf import settings
from django.db import transaction

from audit.service import record
from enrollment.models import Enrollment
from enrollment.services import save_enrollment
from identity.directory import DirectoryError, get_directory
from identity.holds import is_on_hold

from . import get_bankid_backend, risk
from .errors import BankIDError, InvalidParametersError
from .models import BankIDOrder
from .orders import (
    abandon_seconds,
    cancel_order,
    collect_interval,
    finish_order,
    republish,
)
from .pnr import (
    InvalidPersonalNumber,
    hash_personal_number,
    normalize_personal_number,
    personal_number_hashes,
)
from .responses import CollectResult, CompletionData

logger = logging.getLogger(__name__)
Status = BankIDOrder.Status
Outcome = BankIDOrder.Outcome
MAX_TRANSIENT_ERRORS = 5


def _abandoned(order: BankIDOrder) -> bool:
    from django.core.cache import cache

    last_poll = cache.get(f"bankid:poll:{order.pk}")
    reference = last_poll if last_poll is not None else order.started_at
    return time.time() - reference > abandon_seconds()


def collect_once(*, order_id: str, token: str) -> None:
    """One collect of one order now, whether it is due or not (a collect
    message of the old per-order chain, and the tests). The next one is the
    batch collector's, at ``next_collect_at``."""
    order = BankIDOrder.objects.filter(pk=order_id).first()
    if order is None or order.is_final or not token or order.collect_token != token:
        return  # finished, or stale: the order's token has moved on
    new_token = secrets.token_hex(8)
    now = time.time()
    claimed = BankIDOrder.objects.filter(
        pk=order.pk, status=Status.PENDING, collect_token=token
    ).update(
        collect_token=new_token,
        last_collect_at=now,
        next_collect_at=now + collect_interval(),
        collect_count=order.collect_count + 1,
    )
    if not claimed:
        return
    order.collect_token = new_token
    if _abandoned(order):
        settle_abandoned(order)
        return
    try:
        result = get_bankid_backend().collect(order.order_ref)
    except BankIDError as exc:
        result = exc
    if isinstance(result, BankIDError):
        if result.auto_retry and order.error_count < MAX_TRANSIENT_ERRORS:
            BankIDOrder.objects.filter(pk=order.pk).update(error_count=order.error_count + 1)
            logger.info("bankid collect %s: %s, retrying", order.pk, result.error_code)
            return
    elif result.is_pending:
        if result.hint_code and result.hint_code != order.hint_code:
            with transaction.atomic():
                BankIDOrder.objects.filter(
                    pk=order.pk, status=Status.PENDING, collect_token=new_token
                ).update(hint_code=result.hint_code)
                republish(order.pk)
        return
    settle_collect(order, result)


def settle_abandoned(order: BankIDOrder) -> None:
    """Nobody has polled the order's page for a while: cancel it."""
    cancel_order(order=order, reason="abandoned")


def settle_collect(order: BankIDOrder, result: CollectResult | BankIDError) -> None:
    """What a collect that ends the order means: completed, failed, or an
    error that is not retried. The one place (for ``collect_once`` and the
    batch collector alike) where a collect's end is decided."""
    if isinstance(result, InvalidParametersError):
        # BankID no longer knows the order (too old): it has expired.
        finish_order(order, status=Status.FAILED, hint_code="expiredTransaction")
        _audit_end(order)
    elif isinstance(result, BankIDError):
        finish_order(order, status=Status.ERROR, error_code=result.error_code)
        _audit_end(order)
    elif result.is_complete and result.completion is not None:
        complete_order(order, result.completion)
    elif not result.is_pending:
        finish_order(order, status=Status.FAILED, hint_code=result.hint_code or "")
        _audit_end(order)


def _audit_end(order: BankIDOrder) -> None:
    passed = (Outcome.ENROLLED, Outcome.VERIFIED, Outcome.VERIFIED_STEP_UP)
    result = "success" if order.outcome in passed else "failure"
    record(
        action=f"bankid.{order.purpose}",
        result=result if order.status == Status.COMPLETE else "failure",
        subject=order.username,
        subject_guid=order.user_guid,
        ip_address=order.end_user_ip,
        details={
            "status": order.status,
            "hint": order.hint_code,
            "outcome": order.outcome,
            "error": order.error_code,
        },
    )


def _directory_hash(user_guid: str) -> str | None:
    """The hash of the personnummer the directory holds for the user, when
    ``BANKID_DIRECTORY_ATTRIBUTE`` names one; "" when it is set but the user
    has none; None when the setting is off."""
    attribute = getattr(settings, "BANKID_DIRECTORY_ATTRIBUTE", "")
    if not attribute:
        return None
    user = get_directory().get_user(user_guid)
    raw = (user.extra.get(attribute, "") if user else "").strip()
    try:
        return hash_personal_number(normalize_personal_number(raw)) if raw else ""
    except InvalidPersonalNumber:
        return ""


@transaction.atomic
def complete_order(order: BankIDOrder, completion: CompletionData) -> None:
    """Decide what a completed order means for its purpose, and record it.
    The one place where a completed order is evaluated."""
    held = BankIDOrder.objects.select_for_update().filter(
        pk=order.pk, status=Status.PENDING, collect_token=order.collect_token
    )
    if not list(held.values_list("pk", flat=True)):
        return  # another collect of this order got there first
    pnr = completion.user.personal_number
    person_hash = hash_personal_number(pnr)
    # The stored hash may predate a PII_HASH_KEY rotation: any key's hash matches.
    person_hashes = personal_number_hashes(pnr)
    name = completion.user.name[:256]
    outcome = Outcome.VERIFIED
    if not order.expected_hash or order.expected_hash not in person_hashes:
        # An enrollment order names the person; a proof order the enrolled one.
        outcome = Outcome.MISMATCH
    outcome = risk.assess_completion(order=order, risk=completion.risk, outcome=outcome)
    if outcome != Outcome.VERIFIED:
        pass  # a wrong person or a refused risk: nothing is enrolled or updated
    elif order.purpose == BankIDOrder.Purpose.ENROLL:
        outcome = _enroll(order, person_hash, name, person_hashes)
    elif order.expected_hash != person_hash:
        # Matched under an older key: store the newest key's hash (rotate_keys
        # cannot, it never sees the number).
        Enrollment.objects.filter(
            service="bankid", user_guid=order.user_guid, value_hash=order.expected_hash
        ).update(value_hash=person_hash)
    if finish_order(order, status=Status.COMPLETE, outcome=outcome, result_name=name):
        _audit_end(order)


def _enroll(order: BankIDOrder, person_hash: str, name: str, person_hashes: list[str]) -> str:
    if is_on_hold(order.user_guid):
        # "Det var inte jag" was confirmed while the order ran: the enrol page
        # checked the hold when it started, so check again before saving.
        return Outcome.HELD
    try:
        directory_hash = _directory_hash(order.user_guid)
    except DirectoryError:
        directory_hash = ""  # cannot check: refuse rather than enrol unchecked
    if directory_hash is not None and directory_hash != person_hash:
        return Outcome.DIRECTORY_MISMATCH
    taken = (
        Enrollment.objects.filter(service="bankid", value_hash__in=person_hashes)
        .exclude(user_guid=order.user_guid)
        .exists()
    )
    if taken:
        return Outcome.ALREADY_ENROLLED
    save_enrollment(
        request=None,
        user_guid=order.user_guid,
        username=order.username,
        service="bankid",
        display=name,
        value_hash=person_hash,
        ip_address=order.end_user_ip,
    )
    return Outcome.ENROLLED


def expire_stale_orders() -> int:
    """Cancel pending orders older than ``BANKID_ORDER_MAX_AGE``, and forget
    finished ones (names, addresses) after ``BANKID_ORDER_RETENTION_DAYS``: the
    audit trail keeps what happened. Run by beat every minute."""
    from datetime import timedelta

    from django.utils import timezone

    from .orders import max_age_seconds

    cutoff = time.time() - max_age_seconds()
    count = 0
    for order in BankIDOrder.objects.filter(status=Status.PENDING, started_at__lt=cutoff):
        cancel_order(order=order, reason="expired")
        count += 1
    days = int(getattr(settings, "BANKID_ORDER_RETENTION_DAYS", 7))
    BankIDOrder.objects.exclude(status=Status.PENDING).filter(
        created_at__lt=timezone.now() - timedelta(days=days)
    ).delete()
    return count
