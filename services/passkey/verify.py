"""A passkey inside a proof flow (reset, unlock, step-up), after the username step.

The options name the account's keys (allowCredentials). An unknown account,
or one without keys, gets the same page with plausible key ids made from a
keyed hash of the name, so neither the page nor the options tell whether the
account exists or what it has enrolled; no answer can pass for it.

Every attempt goes through ``identity.protection``: the lockout is checked and
the attempt counted on the account before the answer is verified.
"""

from __future__ import annotations

import hashlib
import json

from django.db import transaction
from django.utils import timezone
from webauthn import (
    generate_authentication_options,
    options_to_json,
    verify_authentication_response,
)
from webauthn.helpers import bytes_to_base64url, parse_authentication_credential_json
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (
    AuthenticatorTransport,
    ClientDataType,
    PublicKeyCredentialDescriptor,
    UserVerificationRequirement,
)

from audit.service import record
from enrollment import proofs
from enrollment.crypto import pii_hash
from enrollment.services import touch_enrollment
from identity import protection

from . import conf
from .ceremony import (
    CLIENT_ERRORS,
    PasskeyError,
    check_client_data,
    key_ref,
    load_response,
    new_challenge,
    read_client_data,
    take_challenge,
)
from .keys import SERVICE_KEY, user_keys
from .models import PasskeyCredential
from .register import _b64decode, descriptors

_DECOY_LENGTHS = (16, 32, 48, 64)
_DECOY_TRANSPORTS = (
    [AuthenticatorTransport.INTERNAL, AuthenticatorTransport.HYBRID],
    [AuthenticatorTransport.USB, AuthenticatorTransport.NFC],
)


def _purpose(flow: proofs.ProofFlow) -> str:
    return f"flow:{flow.id}"


def decoy_descriptors(username: str) -> list[PublicKeyCredentialDescriptor]:
    """One or two key ids that look real and are the same for a name every
    time (a keyed hash of the name as the directory folds it)."""
    seed = pii_hash(protection.canonical_name(username) or username, purpose="passkey-decoy")
    count = 1 + int(seed[0], 16) % 2
    found = []
    for i in range(count):
        length = _DECOY_LENGTHS[int(seed[1 + i], 16) % len(_DECOY_LENGTHS)]
        raw = b""
        block = 0
        while len(raw) < length:
            raw += hashlib.sha256(f"{seed}:{i}:{block}".encode()).digest()
            block += 1
        transports = _DECOY_TRANSPORTS[int(seed[3 + i], 16) % 2]
        found.append(PublicKeyCredentialDescriptor(id=raw[:length], transports=transports))
    return found


def _flow_keys(flow: proofs.ProofFlow) -> list[PasskeyCredential]:
    return user_keys(flow.user_guid) if flow.user_guid else []


def proof_options(*, request, flow: proofs.ProofFlow) -> dict:
    """Options for ``navigator.credentials.get`` with a fresh challenge bound
    to this flow and its account."""
    keys = _flow_keys(flow)
    allowed = descriptors(keys) if keys else decoy_descriptors(flow.username)
    challenge = new_challenge(request=request, purpose=_purpose(flow), user_guid=flow.user_guid)
    options = generate_authentication_options(
        rp_id=conf.rp_id(),
        challenge=challenge,
        timeout=conf.challenge_seconds() * 1000,
        allow_credentials=allowed,
        user_verification=UserVerificationRequirement.REQUIRED,
    )
    return json.loads(options_to_json(options))


def _audit_failure(request, flow: proofs.ProofFlow, error: PasskeyError, **details) -> None:
    record(
        action="passkey.clone_suspected" if error.code == "clone" else "passkey.verify_failed",
        result="denied" if error.code == "clone" else "failure",
        request=request,
        subject=flow.username,
        subject_guid=flow.user_guid,
        details={"purpose": flow.purpose, "reason": error.reason, **details},
    )


def prove_with_passkey(
    *, request, flow: proofs.ProofFlow, response: str, client_error: str = ""
) -> PasskeyCredential:
    """Verify the browser's answer to this flow's challenge; when it passes,
    mark the passkey proved in the flow. Raises PasskeyError (audited)."""
    if client_error:
        # The browser gave up (cancelled, no key, no WebAuthn): no answer to
        # check, so not a try on the account; the challenge is spent.
        try:
            take_challenge(request=request, purpose=_purpose(flow), user_guid=flow.user_guid)
        except PasskeyError:
            pass
        error = PasskeyError(
            CLIENT_ERRORS.get(client_error, "cancelled"), reason=f"browser:{client_error[:40]}"
        )
        _audit_failure(request, flow, error)
        raise error
    try:
        attempt = protection.begin_proof(
            request=request,
            user_guid=flow.user_guid,
            username=flow.username,
            service=SERVICE_KEY,
            purpose=flow.purpose,
        )
    except protection.Refused:
        raise PasskeyError("locked_out") from None
    details: dict = {}
    try:
        key = _verify(request=request, flow=flow, response=response, details=details)
    except PasskeyError as exc:
        if exc.compared:
            proofs.record_failure(request, flow)
            protection.proof_failed(attempt, request=request, purpose=flow.purpose)
        else:
            protection.proof_passed(attempt)  # nothing was checked against the account
        _audit_failure(request, flow, exc, **details)
        raise
    except BaseException:
        protection.proof_passed(attempt)
        raise
    protection.proof_passed(attempt)
    proofs.mark_proved(request, flow, SERVICE_KEY)
    touch_enrollment(user_guid=flow.user_guid, service=SERVICE_KEY)
    record(
        action="passkey.verified",
        result="success",
        request=request,
        subject=flow.username,
        subject_guid=flow.user_guid,
        details={"purpose": flow.purpose, **details},
    )
    return key


def sign_count_ok(*, stored: int, new: int) -> bool:
    """A key that counts its uses must show a higher count each time (a lower
    or equal one: another copy of the key was used); one that always says 0
    (many synced passkeys) does not count at all."""
    return (stored == 0 and new == 0) or new > stored


def _verify(*, request, flow, response: str, details: dict) -> PasskeyCredential:
    challenge = take_challenge(request=request, purpose=_purpose(flow), user_guid=flow.user_guid)
    data = load_response(response)
    try:
        credential = parse_authentication_credential_json(data)
    except (WebAuthnException, ValueError, TypeError):
        raise PasskeyError("malformed", reason="credential") from None
    client_data = read_client_data(credential.response.client_data_json)
    check_client_data(client_data, kind=ClientDataType.WEBAUTHN_GET, challenge=challenge.challenge)
    credential_id = bytes_to_base64url(credential.raw_id)
    if credential_id != credential.id:
        raise PasskeyError("malformed", reason="id_mismatch", compared=True)
    details["key"] = key_ref(credential_id)
    key = PasskeyCredential.objects.filter(credential_id=credential_id).first()
    if key is None:
        raise PasskeyError("unknown_key", reason="unknown_credential", compared=True)
    if not flow.user_guid or key.user_guid != flow.user_guid:
        raise PasskeyError("unknown_key", reason="other_user", compared=True)
    handle = credential.response.user_handle
    if handle and bytes_to_base64url(handle) != key.user_handle:
        raise PasskeyError("unknown_key", reason="user_handle_mismatch", compared=True)
    try:
        # The sign count is checked below, after the signature: a forged
        # answer must not be able to raise the clone alarm.
        verified = verify_authentication_response(
            credential=credential,
            expected_challenge=_b64decode(challenge.challenge),
            expected_rp_id=conf.rp_id(),
            expected_origin=conf.origins(),
            credential_public_key=bytes(key.public_key),
            credential_current_sign_count=0,
            require_user_verification=True,
        )
    except WebAuthnException as exc:
        reason = str(exc)[:200]
        code = "no_user_verification" if "verification" in reason.lower() else "invalid"
        raise PasskeyError(code, reason=reason, compared=True) from None
    new_count = verified.new_sign_count
    if not sign_count_ok(stored=key.sign_count, new=new_count):
        details |= {"sign_count": new_count, "stored_sign_count": key.sign_count}
        raise PasskeyError("clone", reason="sign_count_regressed", compared=True)
    with transaction.atomic():
        PasskeyCredential.objects.filter(pk=key.pk).update(
            sign_count=new_count,
            last_used_at=timezone.now(),
            backed_up=verified.credential_backed_up,
        )
    details["name"] = key.name
    return key
