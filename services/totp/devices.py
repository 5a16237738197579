"""Services of the authenticator app: enrol a device, check a code on it, remove it.

A device is django-otp's ``TOTPDevice`` (``SealedTOTPDevice``: its secret
sealed in ``TotpKey``), belonging to the portal's local user of the directory
account. It is unconfirmed until the user typed one right code from it; an
unconfirmed device never proves anything. The core's ``Enrollment`` row says
that the account has the service; it is written only on confirmation.
"""

from __future__ import annotations

import logging
import math
import os
import time
from datetime import timedelta

from django.db import transaction
from django.db.models.signals import post_delete
from django.utils import timezone
from django_otp.oath import TOTP, hotp
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from audit.service import client_ip, record
from enrollment.crypto import encrypt
from enrollment.models import Enrollment
from enrollment.notify import queue_enrollment_notices
from enrollment.services import enrollment_for, remove_enrollment, save_enrollment

from . import conf
from .codes import TotpCodeError, normalize_code
from .models import DecoyThrottle, SealedTOTPDevice, TotpKey
from .service import TotpService

logger = logging.getLogger("portal.totp")

KEY = TotpService.key
DEVICE_NAME = "portal"
_PENDING_KEY = "totp_pending_device"


# --- whose device ---------------------------------------------------------------------
def confirmed_device(user_guid: str, *, for_update: bool = False) -> SealedTOTPDevice | None:
    """The account's confirmed device, if it has the service enrolled and its
    secret can be read; None otherwise (then a proof is a decoy). Both
    queries run for an unknown account too (they find nothing), so that it
    takes about as long."""
    enrolled = enrollment_for(user_guid=user_guid or "-", service=KEY) is not None
    queryset = SealedTOTPDevice.objects.select_related("sealed_key")
    if for_update:
        queryset = queryset.select_for_update(of=("self",))
    device = (
        queryset.filter(user__directory_guid=user_guid or "-", confirmed=True)
        .order_by("-pk")
        .first()
    )
    if device is None or not enrolled:
        return None
    try:
        device.bin_key  # noqa: B018  (decrypts: a key rotated away makes it unusable)
    except (ValueError, TotpKey.DoesNotExist):
        logger.warning("an authenticator app's secret cannot be read (device %s)", device.pk)
        return None
    return device


# --- checking a code --------------------------------------------------------------------
def _wait_seconds(info: dict | None) -> int:
    until = (info or {}).get("locked_until")
    if until is None:
        return 1
    return max(1, math.ceil((until - timezone.now()).total_seconds()))


def _diagnose(device: SealedTOTPDevice, token: int) -> str:
    """Why a code the device refused was refused: used already, too old, too
    new (the phone's clock), or simply wrong. Only called with the device's
    own secret, after django-otp counted the failure."""
    key, tolerance = device.bin_key, device.tolerance
    now = TOTP(key, device.step, device.t0, device.digits, device.drift).t()
    for t in range(now - tolerance, now + tolerance + 1):
        if t <= device.last_t and hotp(key, t, device.digits) == token:
            return "code_replayed"
    for t in range(now - tolerance - conf.DIAGNOSE_STEPS, now - tolerance):
        if hotp(key, t, device.digits) == token:
            return "code_expired"
    for t in range(now + tolerance + 1, now + tolerance + 1 + conf.DIAGNOSE_STEPS):
        if hotp(key, t, device.digits) == token:
            return "code_early"
    return "code_wrong"


def check_code_on(device: SealedTOTPDevice, digits: str) -> None:
    """django-otp's check of ``digits`` on the (locked) device: refused while
    its throttle waits, then within the tolerance, never a step already used
    (``last_t``). Raises TotpCodeError; a compared code that failed is counted
    by django-otp's throttle (saved even though the caller's transaction goes on)."""
    allowed, info = device.verify_is_allowed()
    if not allowed:
        raise TotpCodeError("throttled", count=_wait_seconds(info))
    if device.verify_token(digits):
        return
    raise TotpCodeError(_diagnose(device, int(digits)), compared=True)


def check_decoy(subject: str, digits: str) -> None:
    """What ``check_code_on`` does for an account without a device: the same
    throttle (django-otp's, on a ``DecoyThrottle``), about the same work, and
    never a pass. Raises TotpCodeError."""
    row, created = DecoyThrottle.objects.select_for_update().get_or_create(subject=subject[:300])
    if created:
        # Rows of names tried long ago are no longer throttled: forget them.
        old = timezone.now() - timedelta(days=1)
        DecoyThrottle.objects.filter(created_at__lt=old).exclude(pk=row.pk).delete()
    allowed, info = row.verify_is_allowed()
    if not allowed:
        raise TotpCodeError("throttled", count=_wait_seconds(info))
    TOTP(os.urandom(conf.KEY_BYTES), conf.STEP, 0, conf.DIGITS).verify(
        int(digits), conf.tolerance(), 0
    )
    row.throttle_increment(commit=True)
    raise TotpCodeError("code_wrong", compared=True)


def record_code_failure(request, *, username: str, user_guid: str, purpose: str, error, **extra):
    details = {"purpose": purpose, "reason": error.code, "compared": error.compared, **extra}
    record(
        action="totp.code_failed",
        result="failure",
        request=request,
        subject=username,
        subject_guid=user_guid,
        details=details,
    )


# --- enrolment --------------------------------------------------------------------------
def pending_device(request, *, user) -> SealedTOTPDevice | None:
    """The unconfirmed device this session is enrolling, while it is fresh."""
    pending = request.session.get(_PENDING_KEY) or {}
    if not pending.get("device") or time.time() - pending.get("at", 0) > conf.enroll_seconds():
        return None
    return (
        SealedTOTPDevice.objects.select_related("sealed_key")
        .filter(pk=pending["device"], user=user, confirmed=False)
        .first()
    )


def begin_totp_enrollment(*, request, user) -> SealedTOTPDevice:
    """The device to show as a QR code: this session's fresh unconfirmed one,
    or a new one with a new secret. Nothing counts until it is confirmed; a
    device the user already has stays as it is until then."""
    device = pending_device(request, user=user)
    if device is not None:
        return device
    with transaction.atomic():
        # Another half-done enrolment of this user (another session, an old QR code) ends here.
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        device = SealedTOTPDevice.objects.create(
            user=user,
            name=DEVICE_NAME,
            confirmed=False,
            step=conf.STEP,
            digits=conf.DIGITS,
            tolerance=conf.tolerance(),
        )
        TotpKey.objects.create(device=device, sealed=encrypt(random_hex(conf.KEY_BYTES)))
    request.session[_PENDING_KEY] = {"device": device.pk, "at": time.time()}
    return SealedTOTPDevice.objects.select_related("sealed_key").get(pk=device.pk)


def display_for(when) -> str:
    """What is stored as the enrolment's display (the masked text of the
    helpdesk is made in the reader's language by ``TotpService.masked``)."""
    return f"Autentiseringsapp, tillagd {timezone.localdate(when).isoformat()}"


def confirm_totp_enrollment(*, request, user, code: str) -> Enrollment:
    """Check one code from the new app; when right, the device is confirmed,
    replaces the user's previous one and the enrolment is saved (audited, with
    notices through the core). Raises TotpCodeError (audited)."""
    guid, username = user.directory_guid or "", user.get_username()
    try:
        digits = normalize_code(code)
        error = None
        with transaction.atomic():
            device = pending_device(request, user=user)
            if device is not None:  # locked; gone if another session began anew meanwhile
                device = SealedTOTPDevice.objects.select_for_update().filter(pk=device.pk).first()
            if device is None:
                raise TotpCodeError("enroll_expired")
            try:
                check_code_on(device, digits)
            except TotpCodeError as exc:
                error = exc  # django-otp's count of the failure is kept
        if error is not None:
            raise error
    except TotpCodeError as exc:
        record_code_failure(request, username=username, user_guid=guid, purpose="enroll", error=exc)
        raise
    previous = enrollment_for(user_guid=guid, service=KEY)
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        enrollment = save_enrollment(
            request=request,
            user_guid=guid,
            username=username,
            service=KEY,
            display=display_for(timezone.now()),
        )
        record(
            action="totp.enrolled",
            result="success",
            request=request,
            subject=username,
            subject_guid=guid,
            details={"replaced": previous is not None, "issuer": conf.issuer()},
        )
    request.session.pop(_PENDING_KEY, None)
    return enrollment


def remove_totp(*, request, user_guid: str, username: str) -> bool:
    """The user removes their authenticator app: the device and its secret go,
    the enrolment is removed (audited by the core) and the user is told on
    their other channels. False when there was nothing to remove."""
    enrollment = enrollment_for(user_guid=user_guid, service=KEY)
    if enrollment is None:
        return False
    with transaction.atomic():
        TOTPDevice.objects.filter(user__directory_guid=user_guid).delete()
        remove_enrollment(request=request, enrollment=enrollment, reason="removed by the user")
        record(
            action="totp.removed",
            result="success",
            request=request,
            subject=username,
            subject_guid=user_guid,
            details={"by": "user"},
        )
        queue_enrollment_notices(
            user_guid=user_guid,
            service=KEY,
            created=False,
            removed=True,
            ip=client_ip(request) or "",
        )
    return True


def _drop_devices(sender, instance: Enrollment, **kwargs) -> None:
    # The enrolment has no foreign key to the device: when it is removed
    # anywhere (the helpdesk, a script), its device and secret go with it,
    # as a cascade would take them.
    if instance.service == KEY and instance.user_guid:
        TOTPDevice.objects.filter(user__directory_guid=instance.user_guid).delete()


def connect_cascade() -> None:
    post_delete.connect(_drop_devices, sender=Enrollment, dispatch_uid="totp-drop-devices")
