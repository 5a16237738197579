"""Starting a reset or unlock, and the proof step: which services, how many stars.

Nothing here tells whether an account exists, is enrolled, disabled or
locked: an unknown (or disabled) user gets a proof flow too, with an empty
``user_guid``, walks the same pages and can never collect a star.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from audit.service import record
from enrollment.base import IdentityService
from enrollment.policy import Policy, default_policy, policy_for, policy_for_guid
from enrollment.proofs import ProofFlow, get_flow, save_flow, start_flow
from enrollment.stars import StarMeter, enrolled_keys, maturing, proof_is_mature
from identity import protection as protection_service
from identity import throttle
from identity.directory import DirectoryError, get_directory
from identity.holds import is_on_hold

from . import protection

PURPOSES = ("reset", "unlock")
MAX_USERNAME_LENGTH = 256

REFUSAL_MESSAGES = {
    "expired": _(
        "Tiden för att identifiera dig har gått ut, eller så är länken inte giltig. Börja om."
    ),
    "not_proved": _(
        "Du behöver identifiera dig med identitetstjänsterna nedan innan du kan fortsätta."
    ),
    # The user's policy does not allow the step now (it changed since the
    # proof): said as "not proved", which is what it amounts to.
    "policy": _(
        "Du behöver identifiera dig med identitetstjänsterna nedan innan du kan fortsätta."
    ),
    "locked_out": protection_service.LOCKED_OUT_MESSAGE,
    "rate_limited": _("För många försök. Vänta några minuter och försök igen."),
    "busy": _("Ändringen görs redan i ett annat fönster. Vänta en stund och ladda om sidan."),
    "already_done": _("Det här är redan klart. Börja om om du vill göra en ny ändring."),
    "other_user": _("Den här länken hör till en annan användare. Börja om."),
    "unavailable": _(
        "Katalogtjänsten svarar inte just nu. Försök igen om en stund, eller kontakta IT-supporten."
    ),
}


class ResetRefused(Exception):
    """A step that may not be taken now; ``code`` keys REFUSAL_MESSAGES."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code

    @property
    def message(self) -> str:
        return str(REFUSAL_MESSAGES[self.code])


def start_reset(*, request, username: str, purpose: str = "reset") -> ProofFlow:
    """Start a proof flow for ``username`` (sAMAccountName, UPN or e-mail).

    The directory is asked on every request, so a known and an unknown name
    take the same path. Raises ResetRefused("rate_limited") or a DirectoryError.
    """
    if purpose not in PURPOSES:
        raise ValueError(f"unknown purpose {purpose!r}")
    typed = (username or "").strip()[:MAX_USERNAME_LENGTH]
    # Counted on the address first (a flood it refuses costs no directory
    # search), then on the account: every spelling of its name is one.
    if throttle.attempt([protection.start_address_limit(request)]) is not None:
        _record_failed(request, typed, purpose, result="denied", reason="rate_limited")
        raise ResetRefused("rate_limited")
    try:
        dir_user = get_directory().find_user(typed)
    except DirectoryError as exc:
        _record_failed(request, typed, purpose, result="error", reason=exc.code)
        raise
    by_account = protection.start_account_limit(
        user_guid=dir_user.guid if dir_user else "", username=typed
    )
    if throttle.attempt([by_account]) is not None:
        _record_failed(request, typed, purpose, result="denied", reason="rate_limited")
        raise ResetRefused("rate_limited")
    # A held account ("Det var inte jag") walks the unknown user's flow: it
    # can collect no star, and the pages look the same as for anyone else.
    held = dir_user is not None and is_on_hold(dir_user.guid)
    usable = dir_user is not None and not dir_user.disabled and not held
    try:
        # Asked for an unknown name too (the same directory search).
        policy = policy_for(user=dir_user if usable else None)
    except DirectoryError as exc:
        _record_failed(request, typed, purpose, result="error", reason=exc.code)
        raise
    # An account whose policy forbids self-service walks the pages of an
    # account without enrolments: the flow has no user, nothing is sent and
    # no proof counts. Only the audit trail (and the owner's home page) says why.
    usable = usable and policy.reset_allowed
    flow = start_flow(
        request,
        purpose=purpose,
        user_guid=dir_user.guid if usable else "",
        username=dir_user.username if usable else typed,
        return_url="",
    )
    flow.return_url = reverse(f"{purpose}_prove", kwargs={"flow_id": flow.id})
    # Pages show the name as typed: showing the account's own name would tell.
    flow.data["typed"] = typed
    save_flow(request, flow)
    record(
        action="reset.started",
        result="info",
        request=request,
        subject=dir_user.username if dir_user else typed,
        subject_guid=dir_user.guid if dir_user else "",
        details={
            "purpose": purpose,
            "typed": typed,
            "known": dir_user is not None,
            "disabled": bool(dir_user and dir_user.disabled),
            "locked": bool(dir_user and dir_user.locked),
            "held": held,
            "policy": policy.name,
            "self_service": policy.reset_allowed,
        },
    )
    return flow


def _record_failed(request, subject: str, purpose: str, *, result: str, reason: str) -> None:
    record(
        action="reset.failed",
        result=result,
        request=request,
        subject=subject,
        details={"purpose": purpose, "step": "start", "reason": reason},
    )


def load_flow(request, flow_id: str, *, purpose: str) -> ProofFlow:
    """The live flow of this session, or ResetRefused: ``expired`` (unknown,
    expired, another session's or another purpose's) or ``other_user`` (the
    session is logged in as someone else than the flow is for)."""
    flow = get_flow(request, flow_id, purpose=purpose)
    if flow is None:
        raise ResetRefused("expired")
    user = getattr(request, "user", None)
    guid = getattr(user, "directory_guid", "") if user and user.is_authenticated else ""
    if guid and flow.user_guid and guid != flow.user_guid:
        raise ResetRefused("other_user")
    return flow


@dataclass(frozen=True)
class ServiceProof:
    service: IdentityService
    proved: bool
    url: str  # "" when the service's verify view is not installed
    # When a proved but newly enrolled service counts on its own (else None).
    # Shown only once proved: before that it would tell what the account has.
    usable_from: datetime | None = None


@dataclass(frozen=True)
class ProofStatus:
    flow: ProofFlow
    services: tuple[ServiceProof, ...]
    meter: StarMeter
    sufficient: bool
    locked_out: bool
    waiting: bool = False  # enough stars, but only from services in their quiet period
    #: The policy the page shows: the user's once a proof counted, else the default.
    policy: Policy | None = None
    #: False when the user's own policy (read now) forbids self-service.
    self_service: bool = True

    @property
    def typed(self) -> str:
        return self.flow.data.get("typed", self.flow.username)


def _verify_url(service: IdentityService, flow_id: str) -> str:
    try:
        return service.verify_url(flow_id)
    except NoReverseMatch:
        return ""


def proof_status(*, request, flow: ProofFlow) -> ProofStatus:
    """Where the flow stands: the services (which ones the user enrolled is
    private), the stars collected against the reset threshold, and whether
    the next step is open.

    The user's per-group policy is read from the directory on every call and
    decides. The page shows it only once a proof has counted: until then it
    shows the default policy, as for every other name, so that an anonymous
    visitor cannot tell a privileged account by its threshold or services.
    Raises DirectoryError (nothing is decided without the directory)."""
    locked_out = protection.is_locked_out(flow)
    # Asked for unknown users too (it finds nothing), so both take as long.
    policy, _user = policy_for_guid(flow.user_guid)
    enrolled = enrolled_keys(flow.user_guid)
    young = maturing(flow.user_guid)
    counted = {k for k in flow.proved if policy.offers(k)}
    shown = policy if counted else default_policy()
    services = tuple(
        ServiceProof(
            service=s,
            proved=s.key in counted,
            url=_verify_url(s, flow.id),
            usable_from=young.get(s.key) if s.key in counted else None,
        )
        for s in shown.services
    )
    meter = StarMeter(collected=policy.count_stars(counted), full=shown.stars_reset, services=())
    # A hold placed while the flow runs stops it too.
    enough = flow.is_sufficient(enrolled, policy) and not is_on_hold(flow.user_guid)
    mature = proof_is_mature(counted, young)
    return ProofStatus(
        flow=flow,
        services=services,
        meter=meter,
        sufficient=enough and mature and not locked_out,
        locked_out=locked_out,
        waiting=enough and not mature and not locked_out,
        policy=shown,
        self_service=policy.reset_allowed,
    )


def require_proof(*, request, flow: ProofFlow) -> ProofStatus:
    """The flow's status if the user may take the step after the proof, else
    ResetRefused (``locked_out``, ``not_proved`` or ``unavailable``: the
    directory, which holds the policy, did not answer)."""
    try:
        status = proof_status(request=request, flow=flow)
    except DirectoryError:
        raise ResetRefused("unavailable") from None
    if status.locked_out:
        raise ResetRefused("locked_out")
    if not status.self_service and flow.user_guid:
        raise ResetRefused("policy")
    if not status.sufficient:
        raise ResetRefused("not_proved")
    return status
