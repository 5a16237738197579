"""Enrolling E-postkod: a code to the new address, then the enrolment once it
is confirmed; changing it (the old address is told) and removing it."""

from __future__ import annotations

from django.db import transaction

from audit.service import record
from enrollment.crypto import decrypt
from enrollment.models import Enrollment
from enrollment.services import enrollment_for, remove_own_enrollment, save_enrollment
from identity.directory import DirectoryError, get_directory

from .address import AddressError, address_hash, check_not_own_domain, mask, normalize_address
from .challenges import get_challenge, start_mail_challenge, verify_mail_code
from .models import MailChallenge
from .service import MailCodeService

PURPOSE = "enroll"
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
    challenge = start_mail_challenge(
        request=request,
        purpose=PURPOSE,
        user_guid=user_guid,
        username=username,
        address=address,
    )
    request.session[_SESSION_KEY] = str(challenge.pk)
    return challenge


def pending_enrollment_challenge(request, *, user_guid: str) -> MailChallenge | None:
    """The enrolment challenge this session is confirming, if any."""
    return get_challenge(
        request, request.session.get(_SESSION_KEY), purpose=PURPOSE, user_guid=user_guid
    )


def confirm_mail_enrollment(
    *, request, user_guid: str, username: str, challenge_id, code: str
) -> Enrollment:
    """Check the code; when right, save (or replace) the user's E-postkod
    enrolment with the address encrypted. Raises CodeError, MailRateLimited."""
    challenge = verify_mail_code(
        request=request,
        challenge_id=challenge_id,
        purpose=PURPOSE,
        user_guid=user_guid,
        username=username,
        code=code,
    )
    previous = enrollment_for(user_guid=user_guid, service=KEY)
    address = decrypt(challenge.address_protected)
    with transaction.atomic():
        enrollment = save_enrollment(
            request=request,
            user_guid=user_guid,
            username=username,
            service=KEY,
            display=mask(address),
            protected_value=challenge.address_protected,
            value_hash=address_hash(address),
        )
        record(
            action="email.enrolled",
            result="success",
            request=request,
            subject=username,
            subject_guid=user_guid,
            details={
                "display": enrollment.display,
                "previous": previous.display if previous else "",
            },
        )
    request.session.pop(_SESSION_KEY, None)
    return enrollment


def remove_mail_enrollment(*, request, user_guid: str) -> bool:
    """Remove the user's own E-postkod; the address itself and the user's other
    channels are told. False when there was nothing to remove."""
    enrollment = enrollment_for(user_guid=user_guid, service=KEY)
    if enrollment is None:
        return False
    remove_own_enrollment(request=request, enrollment=enrollment)
    return True
