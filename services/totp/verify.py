"""The authenticator app inside a proof flow (reset, unlock, step-up): one code.

Every try goes through ``identity.protection`` first: the account's lockout is
checked and the try counted on the account before the code is compared. For
an unknown name, or an account without the app, the page and every answer are
the same (a decoy with django-otp's throttling of its own) and no code passes.
"""

from __future__ import annotations

from django.db import transaction

from audit.service import record
from enrollment import proofs
from enrollment.services import touch_enrollment
from identity import protection

from .codes import TotpCodeError, normalize_code
from .devices import check_code_on, check_decoy, confirmed_device, record_code_failure
from .service import TotpService

KEY = TotpService.key


def prove_with_totp_code(*, request, flow: proofs.ProofFlow, code: str) -> None:
    """Check the typed code; when right, mark the app proved in the flow.
    Raises TotpCodeError (``locked_out`` when the account may not try now);
    every refusal is audited."""
    try:
        attempt = protection.begin_proof(
            request=request,
            user_guid=flow.user_guid,
            username=flow.username,
            service=KEY,
            purpose=flow.purpose,
        )
    except protection.Refused:
        raise TotpCodeError("locked_out") from None
    decoy = False
    try:
        digits = normalize_code(code)
        error = None
        with transaction.atomic():
            device = confirmed_device(flow.user_guid, for_update=True)
            decoy = device is None
            try:
                if device is None:
                    check_decoy(attempt.subject, digits)
                else:
                    check_code_on(device, digits)
            except TotpCodeError as exc:
                error = exc  # the throttle's count is kept: raised after the commit
        if error is not None:
            raise error
    except TotpCodeError as exc:
        if exc.compared:
            proofs.record_failure(request, flow)
            protection.proof_failed(attempt, request=request, purpose=flow.purpose)
        else:
            protection.proof_passed(attempt)  # nothing was compared
        extra = {"decoy": True} if decoy else {}
        record_code_failure(
            request,
            username=flow.username,
            user_guid=flow.user_guid,
            purpose=flow.purpose,
            error=exc,
            **extra,
        )
        raise
    except BaseException:
        protection.proof_passed(attempt)
        raise
    protection.proof_passed(attempt)
    proofs.mark_proved(request, flow, KEY)
    touch_enrollment(user_guid=flow.user_guid, service=KEY)
    record(
        action="totp.code_verified",
        result="success",
        request=request,
        subject=flow.username,
        subject_guid=flow.user_guid,
        details={"purpose": flow.purpose},
    )
