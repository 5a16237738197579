"""Proof flows: the stars a visitor collects by verifying enrolled services.

A flow is kept in the (server-side) session, bound to that session and to one
directory user, and expires after ``conf.proof_flow_seconds()``. The reset,
unlock, step-up and helpdesk flows all collect their proofs through it; each
service's verify view calls ``mark_proved`` when the user passed.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import asdict, dataclass, field

from audit.service import record

from . import conf
from .stars import count_stars, proof_is_sufficient

#: Flows that end in a self-service write: a per-group policy may forbid them
#: or leave a service out, checked again at each proof.
SELF_SERVICE_PURPOSES = ("reset", "unlock")

_SESSION_KEY = "proof_flows"
_MAX_FLOWS = 5


@dataclass
class ProofFlow:
    id: str
    purpose: str  # "reset", "unlock", "step_up", ...
    user_guid: str  # "" for an unknown user: the flow looks the same, but nothing passes
    username: str
    return_url: str
    created_at: float
    expires_at: float
    proved: dict[str, float] = field(default_factory=dict)
    failures: int = 0
    data: dict = field(default_factory=dict)

    @property
    def expired(self) -> bool:
        return time.time() >= self.expires_at

    @property
    def stars(self) -> int:
        return count_stars(self.proved)

    def is_sufficient(self, enrolled_keys, policy=None) -> bool:
        """Enough proved for a reset, under ``policy`` (None: the default),
        and every proof that needs company has it."""
        if not self.user_guid:
            return False
        if policy is not None:
            enough = policy.is_sufficient(self.proved, enrolled_keys)
        else:
            enough = proof_is_sufficient(self.proved, enrolled_keys)
        return enough and self.has_company()

    def has_company(self) -> bool:
        """Every proved service that needs another one beside it (see
        ``require_another_service``) has one."""
        lonely = set(self.data.get("needs_company", ())) & set(self.proved)
        return not lonely or len(self.proved) >= 2


def _flows(request) -> dict:
    return request.session.setdefault(_SESSION_KEY, {})


def start_flow(
    request, *, purpose: str, user_guid: str, username: str, return_url: str
) -> ProofFlow:
    now = time.time()
    flow = ProofFlow(
        id=secrets.token_urlsafe(16),
        purpose=purpose,
        user_guid=user_guid,
        username=username,
        return_url=return_url,
        created_at=now,
        expires_at=now + conf.proof_flow_seconds(),
    )
    flows = {k: v for k, v in _flows(request).items() if v["expires_at"] > now}
    # Keep only the newest few: a session cannot pile up flows.
    for old in sorted(flows, key=lambda k: flows[k]["created_at"])[
        : max(0, len(flows) - _MAX_FLOWS + 1)
    ]:
        flows.pop(old)
    flows[flow.id] = asdict(flow)
    request.session[_SESSION_KEY] = flows
    return flow


def get_flow(request, flow_id: str, *, purpose: str | None = None) -> ProofFlow | None:
    """The live flow with this id in this session, or None (unknown, expired,
    or another purpose). A flow id from another session is never found."""
    raw = _flows(request).get(flow_id or "")
    if raw is None:
        return None
    flow = ProofFlow(**raw)
    if flow.expired or (purpose is not None and flow.purpose != purpose):
        return None
    return flow


def save_flow(request, flow: ProofFlow) -> None:
    flows = _flows(request)
    flows[flow.id] = asdict(flow)
    request.session[_SESSION_KEY] = flows
    request.session.modified = True


def _policy_refusal(flow: ProofFlow, service_key: str) -> str:
    """Why the user's policy, read now, does not let this proof count ("" if it does)."""
    from identity.directory import DirectoryError

    from .policy import policy_for_guid

    try:
        policy, user = policy_for_guid(flow.user_guid)
    except DirectoryError:
        return "directory_unavailable"  # never count a proof the policy could not check
    if user is None or user.disabled:
        return "user_gone"
    if not policy.reset_allowed:
        return "policy_no_self_service"
    if not policy.offers(service_key):
        return "policy_service_not_offered"
    return ""


def mark_proved(request, flow: ProofFlow, service_key: str) -> bool:
    """Count ``service_key`` as proved in ``flow``. In a reset or unlock flow
    the user's per-group policy is read again first: a proof does not count
    when the policy forbids self-service or does not offer the service
    (audited). True when it counted."""
    if not flow.user_guid:
        return False
    if flow.purpose in SELF_SERVICE_PURPOSES:
        why = _policy_refusal(flow, service_key)
        if why:
            record(
                action="reset.failed",
                result="denied",
                request=request,
                subject=flow.username,
                subject_guid=flow.user_guid,
                details={
                    "purpose": flow.purpose,
                    "step": "proof",
                    "service": service_key,
                    "reason": why,
                },
            )
            return False
    flow.proved[service_key] = time.time()
    save_flow(request, flow)
    return True


def require_another_service(request, flow: ProofFlow, service_key: str) -> None:
    """``service_key``'s proof in this flow counts only together with one more
    proved service (e.g. a BankID identification that BankID rated high risk)."""
    needs = flow.data.setdefault("needs_company", [])
    if service_key not in needs:
        needs.append(service_key)
    save_flow(request, flow)


def record_failure(request, flow: ProofFlow) -> int:
    flow.failures += 1
    save_flow(request, flow)
    return flow.failures


def end_flow(request, flow_id: str) -> None:
    flows = _flows(request)
    if flows.pop(flow_id, None) is not None:
        request.session[_SESSION_KEY] = flows
