"""Enrolling E-postkod: a code to the new address, then the enrolment once it
is confirmed; changing it (the old address is told) and removing it."""

from __future__ import annotations

from audit.service import record
from enrollment import codeflows
from enrollment.models import Enrollment
from enrollment.services import enrollment_for, remove_own_enrollment
from identity.directory import DirectoryError, get_directory

from .address import AddressError, address_hash, check_not_own_domain, normalize_address
from .challenges import CHANNEL
from .models import MailChallenge
from .service import MailCodeService

KEY = MailCodeService.key
_SESSION_KEY = "mailcode_enroll_challenge"


def _refuse_address(request, *, user_guid: str, username: str, error: AddressError) -> None:
    details = {"reason": error.code}
    if error.code == "address_own_domain":
        details["domain"] = error.params.get("domain", "")
    record(
        action="email.address_refused",
        result="failure",
        request=request,
        subject=username,
        subject_guid=user_guid,
        details=details,
    )
    raise error


def check_address(*, request, user_guid: str, username: str, text: str) -> str:
    """The typed address, ready to use: valid, and not at one of the
    organisation's own domains (the user's UPN / AD mail domain and the
    directory's suffixes). Raises AddressError (audited, without the address)."""
    try:
        address = normalize_address(text)
        try:
            user = get_directory().get_user(user_guid)
        except DirectoryError:
            user = None
        check_not_own_domain(address, user=user)
    except AddressError as exc:
        _refuse_address(request, user_guid=user_guid, username=username, error=exc)
    return address


def begin_mail_enrollment(*, request, user_guid: str, username: str, text: str) -> MailChallenge:
    """Check the typed address and send a code to it; nothing is saved as an
    enrolment yet. Raises AddressError, MailRateLimited."""
    address = check_address(request=request, user_guid=user_guid, username=username, text=text)
    return codeflows.begin_code_enrollment(
        request,
        channel=CHANNEL,
        session_key=_SESSION_KEY,
        user_guid=user_guid,
        username=username,
        to=address,
    )


def pending_enrollment_challenge(request, *, user_guid: str) -> MailChallenge | None:
    """The enrolment challenge this session is confirming, if any."""
    return codeflows.pending_code_enrollment(
        request, channel=CHANNEL, session_key=_SESSION_KEY, user_guid=user_guid
    )


def confirm_mail_enrollment(
    *, request, user_guid: str, username: str, challenge_id, code: str
) -> Enrollment:
    """Check the code; when right, save (or replace) the user's E-postkod
    enrolment with the address encrypted and its keyed hash. Raises
    CodeError, MailRateLimited."""
    return codeflows.confirm_code_enrollment(
        request,
        channel=CHANNEL,
        session_key=_SESSION_KEY,
        service_key=KEY,
        user_guid=user_guid,
        username=username,
        challenge_id=challenge_id,
        code=code,
        value_hash=address_hash,
    )


def remove_mail_enrollment(*, request, user_guid: str) -> bool:
    """Remove the user's own E-postkod; the address itself and the user's other
    channels are told. False when there was nothing to remove."""
    enrollment = enrollment_for(user_guid=user_guid, service=KEY)
    if enrollment is None:
        return False
    remove_own_enrollment(request=request, enrollment=enrollment)
    return True
