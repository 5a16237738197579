"""Registering a passkey or security key for the logged-in user.

User verification is required; a resident key (a passkey) is preferred but a
non-resident one (an older security key) is accepted; attestation is
``WEBAUTHN_ATTESTATION`` ("none" by default: no make or model is asked for).
The user's own keys are excluded, so one authenticator is not registered twice.
"""

from __future__ import annotations

import json
import secrets

from django.db import transaction
from webauthn import generate_registration_options, options_to_json, verify_registration_response
from webauthn.helpers import bytes_to_base64url, parse_registration_credential_json
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (
    AttestationConveyancePreference,
    AuthenticatorSelectionCriteria,
    AuthenticatorTransport,
    ClientDataType,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from audit.service import record
from enrollment.services import save_enrollment

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
from .keys import SERVICE_KEY, clean_name, default_name, user_keys
from .models import PasskeyCredential

PURPOSE = "register"


def descriptors(keys) -> list[PublicKeyCredentialDescriptor]:
    found = []
    for key in keys:
        transports = []
        for t in key.transports or []:
            try:
                transports.append(AuthenticatorTransport(t))
            except ValueError:
                continue
        found.append(
            PublicKeyCredentialDescriptor(
                id=_b64decode(key.credential_id), transports=transports or None
            )
        )
    return found


def _b64decode(value: str) -> bytes:
    from webauthn.helpers import base64url_to_bytes

    return base64url_to_bytes(value)


def registration_options(*, request, user_guid: str, username: str, display_name: str) -> dict:
    """Options for ``navigator.credentials.create`` with a fresh challenge."""
    keys = user_keys(user_guid)
    handle = keys[0].user_handle if keys else bytes_to_base64url(secrets.token_bytes(32))
    challenge = new_challenge(
        request=request, purpose=PURPOSE, user_guid=user_guid, user_handle=handle
    )
    options = generate_registration_options(
        rp_id=conf.rp_id(),
        rp_name=conf.rp_name(),
        user_name=username,
        user_id=_b64decode(handle),
        user_display_name=display_name or username,
        challenge=challenge,
        timeout=conf.challenge_seconds() * 1000,
        attestation=AttestationConveyancePreference(conf.attestation()),
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.PREFERRED,
            user_verification=UserVerificationRequirement.REQUIRED,
        ),
        exclude_credentials=descriptors(keys),
    )
    return json.loads(options_to_json(options))


def _fail(request, *, user_guid: str, username: str, error: PasskeyError) -> None:
    record(
        action="passkey.register_failed",
        result="failure",
        request=request,
        subject=username,
        subject_guid=user_guid,
        details={"reason": error.reason},
    )


def complete_registration(
    *,
    request,
    user_guid: str,
    username: str,
    response: str,
    name: str = "",
    client_error: str = "",
) -> PasskeyCredential:
    """Verify the browser's answer to the session's registration challenge and
    save the new key (and the enrolment, for the first). Raises PasskeyError
    (audited as ``passkey.register_failed``)."""
    try:
        return _complete(
            request=request,
            user_guid=user_guid,
            username=username,
            response=response,
            name=name,
            client_error=client_error,
        )
    except PasskeyError as exc:
        _fail(request, user_guid=user_guid, username=username, error=exc)
        raise


def _complete(*, request, user_guid, username, response, name, client_error):
    typed_name = clean_name(name) if (name or "").strip() else ""
    if client_error:
        take_challenge_quietly(request, user_guid)
        code = CLIENT_ERRORS.get(client_error, "cancelled")
        raise PasskeyError(code, reason=f"browser:{client_error[:40]}")
    if len(user_keys(user_guid)) >= conf.max_keys():
        raise PasskeyError("too_many_keys")
    challenge = take_challenge(request=request, purpose=PURPOSE, user_guid=user_guid)
    data = load_response(response)
    try:
        credential = parse_registration_credential_json(data)
    except (WebAuthnException, ValueError, TypeError):
        raise PasskeyError("malformed", reason="credential") from None
    client_data = read_client_data(credential.response.client_data_json)
    check_client_data(
        client_data, kind=ClientDataType.WEBAUTHN_CREATE, challenge=challenge.challenge
    )
    try:
        verified = verify_registration_response(
            credential=credential,
            expected_challenge=_b64decode(challenge.challenge),
            expected_rp_id=conf.rp_id(),
            expected_origin=conf.origins(),
            require_user_verification=True,
        )
    except WebAuthnException as exc:
        reason = str(exc)[:200]
        code = "no_user_verification" if "verification" in reason.lower() else "invalid"
        raise PasskeyError(code, reason=reason, compared=True) from None
    credential_id = bytes_to_base64url(verified.credential_id)
    if PasskeyCredential.objects.filter(credential_id=credential_id).exists():
        raise PasskeyError("already_registered")
    transports = [t.value for t in (credential.response.transports or [])]
    attachment = data.get("authenticatorAttachment")
    attachment = attachment if attachment in ("platform", "cross-platform") else ""
    backed_up = bool(verified.credential_backed_up)
    key_name = typed_name or default_name(
        attachment=attachment, transports=transports, backed_up=backed_up
    )
    return _save(
        request=request,
        user_guid=user_guid,
        username=username,
        key=PasskeyCredential(
            user_guid=user_guid,
            name=key_name,
            credential_id=credential_id,
            public_key=verified.credential_public_key,
            sign_count=verified.sign_count,
            user_handle=challenge.user_handle,
            aaguid=str(verified.aaguid),
            transports=transports,
            attachment=attachment,
            backed_up=backed_up,
        ),
    )


def take_challenge_quietly(request, user_guid: str) -> None:
    """Spend the challenge of an attempt the browser gave up on."""
    try:
        take_challenge(request=request, purpose=PURPOSE, user_guid=user_guid)
    except PasskeyError:
        pass


@transaction.atomic
def _save(*, request, user_guid: str, username: str, key: PasskeyCredential) -> PasskeyCredential:
    names = [k.name for k in user_keys(user_guid)] + [key.name]
    # The core's save: the enrolment row, its audit and the notices ("passkey
    # registered/changed on your account ... if it wasn't you").
    enrollment = save_enrollment(
        request=request,
        user_guid=user_guid,
        username=username,
        service=SERVICE_KEY,
        display=", ".join(names)[:256],
    )
    key.enrollment = enrollment
    key.save()
    record(
        action="passkey.registered",
        result="success",
        request=request,
        subject=username,
        subject_guid=user_guid,
        details={
            "key": key_ref(key.credential_id),
            "name": key.name,
            "aaguid": key.aaguid,
            "attachment": key.attachment,
            "backed_up": key.backed_up,
            "keys": len(names),
        },
    )
    return key
