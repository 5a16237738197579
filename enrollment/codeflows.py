"""A one-time code inside a proof flow (reset, unlock, step-up) and at
enrolment, for every code service: the steps around ``CodeChannel``
(``enrollment.codechallenges``) that Mobilkod and E-postkod share."""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

from audit.service import record

from . import onetime
from .codechallenges import CodeChannel
from .crypto import decrypt


# --- inside a proof flow (reset, unlock, step-up) ----------------------------------------
def flow_purpose(flow) -> str:
    return f"flow:{flow.id}"


def decoy_name(flow) -> str:
    """The name a decoy's mask is made from: the name as typed at the start,
    not the account's own name. An account without the service typed by its
    e-mail address must get the decoy an unknown address gets; the decoy of
    the account's name would tell that it exists (red team, #14/#17)."""
    return flow.data.get("typed") or flow.username


def flow_target(flow, *, channel: CodeChannel, service_key: str) -> tuple[str | None, str]:
    """(where the flow user's enrolled ``service_key`` sends codes, or None,
    and what the page shows): for an unknown user, one without the service or
    a value no key can read, None and the decoy's mask for the typed name."""
    from .services import enrollment_for

    enrollment = (
        enrollment_for(user_guid=flow.user_guid, service=service_key) if flow.user_guid else None
    )
    if enrollment is not None and enrollment.protected_value:
        try:
            return decrypt(enrollment.protected_value), enrollment.display
        except ValueError:  # a key that was rotated away: treat as not enrolled
            pass
    return None, channel.decoy_mask(decoy_name(flow))


def flow_challenge(request, flow, *, channel: CodeChannel, session_key: str):
    """The flow's challenge in this session, if a code was asked for."""
    challenge_id = (request.session.get(session_key) or {}).get(flow.id)
    return channel.get(request, challenge_id, purpose=flow_purpose(flow), user_guid=flow.user_guid)


def send_flow_code(request, flow, *, channel: CodeChannel, session_key: str, to: str | None):
    """Send a code to ``to`` (None: a decoy) for the flow, or a new one if a
    code was sent already. Raises the service's rate-limit and cooldown errors."""
    from . import proofs

    challenge = flow_challenge(request, flow, channel=channel, session_key=session_key)
    if challenge is not None:
        return channel.resend(request=request, challenge=challenge)
    challenge = channel.start(
        request=request,
        purpose=flow_purpose(flow),
        user_guid=flow.user_guid,
        username=flow.username,
        to=to,
        decoy_name=decoy_name(flow),
    )
    live = {k: v for k, v in (request.session.get(session_key) or {}).items() if k != flow.id}
    live = {k: v for k, v in live.items() if proofs.get_flow(request, k) is not None}
    live[flow.id] = str(challenge.pk)
    request.session[session_key] = live
    return challenge


def prove_flow_code(
    request, flow, *, channel: CodeChannel, session_key: str, service_key: str, code: str, refused
):
    """Check the typed code as a proof of the flow's account (the lockout
    first, the try counted before comparing: ``onetime.prove_with_code``);
    when right, ``service_key`` is proved in the flow."""
    challenge = flow_challenge(request, flow, channel=channel, session_key=session_key)
    return onetime.prove_with_code(
        request=request,
        flow=flow,
        service_key=service_key,
        verify=lambda: channel.verify(
            request=request,
            challenge_id=challenge.pk if challenge else None,
            purpose=flow_purpose(flow),
            user_guid=flow.user_guid,
            username=flow.username,
            code=code,
        ),
        refused=refused,
    )


# --- enrolling: a code to the new destination, the enrolment once it is confirmed -----
ENROLL_PURPOSE = "enroll"


def begin_code_enrollment(
    request, *, channel: CodeChannel, session_key: str, user_guid: str, username: str, to: str
):
    """Send a code to what the user wants to enrol; nothing is saved as an
    enrolment yet. Raises the service's rate-limit error."""
    challenge = channel.start(
        request=request, purpose=ENROLL_PURPOSE, user_guid=user_guid, username=username, to=to
    )
    request.session[session_key] = str(challenge.pk)
    return challenge


def pending_code_enrollment(request, *, channel: CodeChannel, session_key: str, user_guid: str):
    """The enrolment challenge this session is confirming, if any."""
    return channel.get(
        request, request.session.get(session_key), purpose=ENROLL_PURPOSE, user_guid=user_guid
    )


def confirm_code_enrollment(
    request,
    *,
    channel: CodeChannel,
    session_key: str,
    service_key: str,
    user_guid: str,
    username: str,
    challenge_id,
    code: str,
    value_hash: Callable[[str], str],
):
    """Check the code; when right, save (or replace) the user's enrolment of
    ``service_key`` with the destination encrypted, its keyed hash
    (``value_hash`` of the decrypted value) and the masked display, and audit
    ``<prefix>.enrolled``. Raises the service's CodeError and rate-limit error."""
    from .services import enrollment_for, save_enrollment

    challenge = channel.verify(
        request=request,
        challenge_id=challenge_id,
        purpose=ENROLL_PURPOSE,
        user_guid=user_guid,
        username=username,
        code=code,
    )
    previous = enrollment_for(user_guid=user_guid, service=service_key)
    protected = getattr(challenge, channel.model.destination_field)
    with transaction.atomic():
        enrollment = save_enrollment(
            request=request,
            user_guid=user_guid,
            username=username,
            service=service_key,
            display=challenge.display,
            protected_value=protected,
            value_hash=value_hash(decrypt(protected)),
        )
        record(
            action=f"{channel.prefix}.enrolled",
            result="success",
            request=request,
            subject=username,
            subject_guid=user_guid,
            details={
                "display": challenge.display,
                "previous": previous.display if previous else "",
            },
        )
    request.session.pop(session_key, None)
    return enrollment
