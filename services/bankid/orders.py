"""BankID orders for enrollment, proof flows and the helpdesk's caller check.

The browser never talks to BankID: it polls our status endpoint (about once a
second, for the next QR frame), while the batch collector (``collector.py``,
Celery tasks in the worker processes) collects every pending order every
``BANKID_COLLECT_INTERVAL`` seconds. Whoever collects an order first swaps its
``collect_token`` (compare-and-set) and every write of that collect checks
it, so no order is ever collected by two at once and a late or duplicated
collect finds a stale token and stops. An order whose collects stop (every
worker died) is made due again by the next status poll that sees no collect
for a while, which also starts a collector.
"""

from __future__ import annotations

import logging
import secrets
import time
import uuid
from functools import lru_cache
from types import SimpleNamespace

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from audit.service import client_ip, record
from enrollment.crypto import decrypt, encrypt
from identity import protection
from identity.throttle import Limit

from . import get_bankid_backend
from .errors import BankIDError, InvalidParametersError
from .models import BankIDOrder

logger = logging.getLogger(__name__)
Status = BankIDOrder.Status
Purpose = BankIDOrder.Purpose


def collect_interval() -> float:
    return float(getattr(settings, "BANKID_COLLECT_INTERVAL", 2.0))


def stall_seconds() -> float:
    """No collect for this long: the order's collect chain is taken as dead."""
    return collect_interval() * 3 + 2


def abandon_seconds() -> float:
    """An order whose page nobody has polled for this long is cancelled."""
    return float(getattr(settings, "BANKID_ABANDON_SECONDS", 30))


def max_age_seconds() -> float:
    """Older pending orders are expired by the sweeper (BankID's own limit is ~3 min)."""
    return float(getattr(settings, "BANKID_ORDER_MAX_AGE", 600))


def start_limits() -> dict[str, tuple[int, int]]:
    """Orders that may be started, (count, window seconds), per proof flow, per
    account and per address (``BANKID_START_LIMITS`` overrides any). Every
    start counts, a cancelled one too: each is a real RP API order."""
    limits = {"flow": (5, 10 * 60), "account": (10, 60 * 60), "ip": (300, 60 * 60)}
    return {**limits, **(getattr(settings, "BANKID_START_LIMITS", {}) or {})}


class StartRefused(Exception):
    """No order may be started now: ``rate_limited`` or ``locked_out``."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code

    @property
    def message(self) -> str:
        from django.utils.translation import gettext as _

        if self.code == "locked_out":
            return str(protection.LOCKED_OUT_MESSAGE)
        return _("Du har startat för många identifieringar. Vänta en stund och försök igen.")


def _proof_purposes() -> set[str]:
    return {Purpose.VERIFY, Purpose.HELPDESK}


def start_checks(*, request, user_guid: str, username: str, flow_id: str = "") -> list[Limit]:
    limits = start_limits()
    subject = protection.account_subject(user_guid=user_guid, username=username)
    return [
        Limit("bankid-start-ip", protection.origin(request), *limits["ip"]),
        Limit("bankid-start-account", subject, *limits["account"]),
        Limit("bankid-start-flow", flow_id, *limits["flow"]),
    ]


def check_start(
    *, request, purpose: str, user_guid: str, username: str, flow_id: str, order_id: str
):
    """Count one order start per flow, account and address, and for a proof
    (a proof flow, a helpdesk caller check) take a slot of the account's
    failed-proof budget, given back when the order ends without a wrong
    person (``settle``). Returns the proof attempt or None; raises StartRefused."""
    checks = start_checks(request=request, user_guid=user_guid, username=username, flow_id=flow_id)
    try:
        protection.check_rate(
            checks,
            request=request,
            action="bankid.order_refused",
            subject=username,
            subject_guid=user_guid,
        )
        if purpose not in _proof_purposes():
            return None
        return protection.begin_proof(
            request=request,
            user_guid=user_guid,
            username=username,
            service="bankid",
            purpose=purpose,
            token=order_id,
        )
    except protection.Refused as exc:
        raise StartRefused(exc.code) from None


def settle(order: BankIDOrder) -> None:
    """A proof order ended: a wrong person's BankID stays a failed proof of
    the account; any other end gives its slot back."""
    if order.purpose not in _proof_purposes():
        return
    if order.status == Status.COMPLETE:
        passed = order.outcome in (
            BankIDOrder.Outcome.VERIFIED,
            BankIDOrder.Outcome.VERIFIED_STEP_UP,
        )
    else:
        passed = None
    protection.settle_proof(
        user_guid=order.user_guid, username=order.username, token=str(order.pk), passed=passed
    )


def poll_key(order_id) -> str:
    return f"bankid:poll:{order_id}"


_UNREAD = object()


def note_browser_poll(order_id, last=_UNREAD) -> None:
    """Remember that the order's page is open. Polls come every second; the
    mark is rewritten only when it is a quarter of the abandon time old (at
    most every 5 s), so most polls write nothing at all. ``last``: the mark,
    when the caller has read it already."""
    key, now = poll_key(order_id), time.time()
    if last is _UNREAD:
        last = cache.get(key)
    if last is None or now - last >= min(5.0, abandon_seconds() / 4):
        cache.set(key, now, timeout=int(abandon_seconds() * 4) + 60)


def _session_key(request) -> str:
    if not request.session.session_key:
        request.session.save()
    return request.session.session_key


def queue_collect(order_id, token: str, countdown: float) -> None:
    """The order's next collect in ``countdown`` seconds (by the batch
    collector), and a collector running by then."""
    from .collector import ensure_collector

    BankIDOrder.objects.filter(pk=order_id, collect_token=token).update(
        next_collect_at=time.time() + countdown
    )
    ensure_collector(countdown=countdown)


# --- starting ---------------------------------------------------------------


def find_live_order(*, request, purpose: str, user_guid: str, flow_id: str = ""):
    """A pending order this session already started for the same thing, if it
    is recent enough to scan: a double-click must not start a second order
    (BankID would answer alreadyInProgress and cancel both)."""
    recent = time.time() - 25
    return (
        BankIDOrder.objects.filter(
            session_key=_session_key(request),
            purpose=purpose,
            user_guid=user_guid,
            flow_id=flow_id,
            status=Status.PENDING,
            started_at__gte=recent,
        )
        .order_by("-started_at")
        .first()
    )


def start_order(
    *,
    request,
    purpose: str,
    user_guid: str,
    username: str,
    personal_number: str | None = None,
    expected_hash: str = "",
    flow_id: str = "",
    visible_text: str = "",
    return_url: str | None = None,
) -> BankIDOrder:
    """Start a BankID order (``/auth``) and its collect chain.

    ``personal_number`` (12 digits) narrows the order to that person;
    ``expected_hash`` is what the completed order's person must hash to.
    ``return_url`` is what the app opens when the order was started on this
    device (the phone's browser comes back to the order page).
    Raises BankIDError (the view shows its message); nothing is saved then.
    """
    live = find_live_order(request=request, purpose=purpose, user_guid=user_guid, flow_id=flow_id)
    if live is not None:
        return live
    session_key = _session_key(request)
    lock = f"bankid:start:{session_key}:{purpose}:{flow_id}"
    if not cache.add(lock, 1, timeout=10):
        # Another request of this session is starting the same order right
        # now (a double-click): show that order; nothing of this one counts.
        for _ in range(30):
            time.sleep(0.1)
            live = find_live_order(
                request=request, purpose=purpose, user_guid=user_guid, flow_id=flow_id
            )
            if live is not None:
                return live
    else:
        # Look again under the lock: the other click may have finished its
        # order between the first look and the lock.
        live = find_live_order(
            request=request, purpose=purpose, user_guid=user_guid, flow_id=flow_id
        )
        if live is not None:
            cache.delete(lock)
            return live
    order_id = str(uuid.uuid4())
    try:
        attempt = check_start(
            request=request,
            purpose=purpose,
            user_guid=user_guid,
            username=username,
            flow_id=flow_id,
            order_id=order_id,
        )
    except StartRefused:
        cache.delete(lock)
        raise
    try:
        ip = client_ip(request) or "127.0.0.1"
        try:
            started = get_bankid_backend().auth(
                ip,
                personal_number=personal_number,
                user_visible_data=visible_text or None,
                return_risk=True,
                **({"return_url": return_url} if return_url else {}),
            )
        except BankIDError as exc:
            if attempt is not None:
                protection.proof_passed(attempt)  # no order, no proof
            record(
                action="bankid.order_failed",
                result="error",
                request=request,
                subject=username,
                subject_guid=user_guid,
                details={"purpose": purpose, "error": exc.error_code},
            )
            raise
        token = secrets.token_hex(8)
        with transaction.atomic():
            order = BankIDOrder.objects.create(
                id=order_id,
                purpose=purpose,
                user_guid=user_guid,
                username=username,
                session_key=session_key,
                flow_id=flow_id,
                order_ref=started.order_ref,
                auto_start_token=started.auto_start_token,
                qr_start_token=started.qr_start_token,
                qr_secret=encrypt(started.qr_start_secret),
                started_at=started.started_at,
                end_user_ip=ip,
                expected_hash=expected_hash,
                collect_token=token,
                last_collect_at=time.time(),
            )
            record(
                action="bankid.order_started",
                result="info",
                request=request,
                subject=username,
                subject_guid=user_guid,
                details={"purpose": purpose},
            )
            queue_collect(order.pk, token, collect_interval())
            republish(order.pk)
        note_browser_poll(order.pk)
        return order
    finally:
        cache.delete(lock)


def get_order(*, request, order_id) -> BankIDOrder | None:
    """The order, if it belongs to this session (a stale or foreign id gives None)."""
    try:
        order = BankIDOrder.objects.filter(pk=order_id).first()
    except (ValueError, TypeError):
        return None
    if order is None or order.session_key != request.session.session_key:
        return None
    return order


# --- the status poll's snapshot -----------------------------------------------
# Every open order page polls once a second. The poll reads a snapshot of the
# order from the cache (one read, shared by every web process) instead of the
# database; whoever changes the order row republishes it once that commits.

_SNAPSHOT_FIELDS = (
    "purpose", "user_guid", "username", "session_key", "flow_id", "order_ref",
    "auto_start_token", "qr_start_token", "qr_secret", "started_at", "expected_hash",
    "status", "hint_code", "error_code", "outcome", "result_name", "collect_token",
    "last_collect_at", "collect_count",
)  # fmt: skip


def _snapshot_key(order_id) -> str:
    return f"bankid:order:{order_id}"


def publish_order(order_id) -> None:
    """Cache the order as it is in the database now (after a change commits)."""
    row = BankIDOrder.objects.filter(pk=order_id).values(*_SNAPSHOT_FIELDS).first()
    if row is not None:
        cache.set(_snapshot_key(order_id), row, timeout=int(max_age_seconds()) + 600)


def publish_orders(order_ids: list) -> None:
    """``publish_order`` of many: one query, one cache write."""
    rows = BankIDOrder.objects.filter(pk__in=order_ids).values("id", *_SNAPSHOT_FIELDS)
    timeout = int(max_age_seconds()) + 600
    cache.set_many({_snapshot_key(row.pop("id")): row for row in rows}, timeout=timeout)


def republish(order_id) -> None:
    transaction.on_commit(lambda: publish_order(order_id))


def polled_order(*, request, order_id) -> BankIDOrder | None:
    """The order for a status poll, if it belongs to this session. Read-only.

    From the cached snapshot; from the database when there is none, or when
    the snapshot's last collect looks old (collects themselves do not
    republish, so this happens every few seconds per open order, and it is
    how a stalled chain is noticed: ``kick_if_stalled`` gets the real row)."""
    found = read_snapshot(order_id)
    data = found.get(_snapshot_key(order_id))
    fresh = data is not None and (
        data["status"] != Status.PENDING
        or time.time() - last_collected(data, found, order_id) < stall_seconds()
    )
    if not fresh:
        order = get_order(request=request, order_id=order_id)
        if order is not None:
            publish_order(order.pk)
        return order
    if data["session_key"] != request.session.session_key:
        return None
    order = BankIDOrder(id=order_id, **data)
    order.last_collect_at = last_collected(data, found, order_id)
    order.last_poll_mark = found.get(poll_key(order_id))  # read with it: one round trip
    return order


def seen_key(order_id) -> str:
    """When the batch collector last claimed the order (the poll reads it)."""
    return f"bankid:seen:{order_id}"


def token_polled_order(*, request, order_id, token: str) -> OrderSnapshot | None:
    """The order for a poll with the page's token (``poll.py``): no session,
    no user, no database; one cache read. None when the token is not this
    order's and this cookie's session's, or the snapshot cannot answer alone
    (gone, or the order looks stalled: the session poll restarts it)."""
    from .poll import check_poll_token

    cookie = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if not check_poll_token(token, order_id=order_id, session_key=cookie):
        return None
    found = read_snapshot(order_id)
    data = found.get(_snapshot_key(order_id))
    if data is None or data["session_key"] != cookie:
        return None
    last = last_collected(data, found, order_id)
    if data["status"] == Status.PENDING and time.time() - last >= stall_seconds():
        return None
    order = OrderSnapshot(id=order_id, pk=order_id, **data)
    order.last_collect_at = last
    order.last_poll_mark = found.get(poll_key(order_id))
    return order


class OrderSnapshot(SimpleNamespace):
    """An order as its snapshot has it, read-only, for the token poll
    (``status.order_state`` reads only fields): building a model instance
    was a tenth of the poll."""

    @property
    def is_final(self) -> bool:
        return self.status != Status.PENDING


def read_snapshot(order_id) -> dict:
    """The order's snapshot, its page-open mark and when it was last
    collected, in one cache read."""
    return cache.get_many([_snapshot_key(order_id), poll_key(order_id), seen_key(order_id)])


def snapshot_of(found: dict, order_id) -> dict | None:
    return found.get(_snapshot_key(order_id))


def last_collected(data: dict, found: dict, order_id) -> float:
    """When the order was last collected: the snapshot's time, or the batch
    collector's later mark (collects that change nothing republish nothing)."""
    return max(data.get("last_collect_at") or 0.0, found.get(seen_key(order_id)) or 0.0)


@lru_cache(maxsize=4096)
def _qr_secret(sealed: str) -> str:
    # Every poll of an order needs its secret: decrypt it once per process.
    return decrypt(sealed)


def qr_content(order: BankIDOrder, now: float | None = None) -> str:
    from .qr import qr_payload

    return qr_payload(order.qr_start_token, _qr_secret(order.qr_secret), order.started_at, now)


def kick_if_stalled(order: BankIDOrder) -> bool:
    """Restart the collect chain of a pending order nobody has collected for a
    while (its worker died). Returns True when it queued a new chain."""
    if order.is_final or order.last_collect_at is None:
        return False
    if time.time() - order.last_collect_at < stall_seconds():
        return False
    if not cache.add(f"bankid:kick:{order.pk}", 1, timeout=int(stall_seconds())):
        return False
    from .collector import ensure_collector

    token = secrets.token_hex(8)
    now = time.time()
    with transaction.atomic():
        swapped = BankIDOrder.objects.filter(
            pk=order.pk, status=Status.PENDING, collect_token=order.collect_token
        ).update(collect_token=token, last_collect_at=now, next_collect_at=now)
        if swapped:
            logger.warning("bankid order %s: collect chain stalled, restarted", order.pk)
            ensure_collector(force=True)
            republish(order.pk)
    return bool(swapped)


# --- cancelling -------------------------------------------------------------


def finish_order(
    order: BankIDOrder,
    *,
    status: str,
    hint_code: str = "",
    error_code: str = "",
    outcome: str = "",
    result_name: str = "",
) -> bool:
    """Move a pending order to a final state once; False if it already was final."""
    done = BankIDOrder.objects.filter(pk=order.pk, status=Status.PENDING).update(
        status=status,
        hint_code=hint_code or order.hint_code,
        error_code=error_code,
        outcome=outcome,
        result_name=result_name,
        finished_at=timezone.now(),
        collect_token="",
    )
    if done:
        republish(order.pk)
        order.status, order.outcome, order.result_name = status, outcome, result_name
        order.hint_code = hint_code or order.hint_code
        order.error_code = error_code
        settle(order)
    return bool(done)


def cancel_order(*, order: BankIDOrder, request=None, reason: str = "user") -> None:
    """Cancel at BankID and here. Idempotent."""
    if order.is_final:
        return
    try:
        get_bankid_backend().cancel(order.order_ref)
    except InvalidParametersError:
        pass  # already gone at BankID
    except BankIDError as exc:
        logger.warning("bankid cancel of %s failed: %s", order.pk, exc.error_code)
    status = Status.CANCELLED if reason == "user" else Status.EXPIRED
    if finish_order(order, status=status, hint_code="userCancel" if reason == "user" else ""):
        record(
            action="bankid.order_cancelled",
            result="info",
            request=request,
            subject=order.username,
            subject_guid=order.user_guid,
            ip_address=None if request else order.end_user_ip,
            details={"purpose": order.purpose, "reason": reason},
        )
