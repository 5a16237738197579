"""The authenticator app's device: django-otp's ``TOTPDevice``, with its secret sealed.

django-otp keeps a TOTP secret as plain hex in ``otp_totp_totpdevice.key``:
anyone who reads a backup of the database could make every user's codes. Here
the real secret is encrypted with ``enrollment.crypto`` (``FIELD_ENCRYPTION_KEY``,
a key of its own) in ``TotpKey``, and ``SealedTOTPDevice`` hands it to
django-otp's own checking (``verify_token``: drift tolerance, ``last_t``
against replays, throttling). The ``key`` column of the device holds a random
key that no one has (django-otp requires one): a code path that used the
plain ``TOTPDevice`` would accept no code anyone can make.
"""

from __future__ import annotations

from binascii import unhexlify

from django.conf import settings
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django_otp.models import ThrottlingMixin
from django_otp.plugins.otp_totp.models import TOTPDevice

from enrollment.crypto import decrypt


class SealedTOTPDevice(TOTPDevice):
    """A ``TOTPDevice`` whose secret is read from its ``TotpKey``."""

    class Meta:
        proxy = True
        verbose_name = _("autentiseringsapp")
        verbose_name_plural = _("autentiseringsappar")

    @cached_property
    def bin_key(self) -> bytes:
        """The secret (ValueError when it cannot be decrypted with any configured key)."""
        return unhexlify(decrypt(self.sealed_key.sealed).encode())


class TotpKey(models.Model):
    """The secret of one device, encrypted (``enrollment.crypto.encrypt`` of its hex)."""

    device = models.OneToOneField(
        TOTPDevice, on_delete=models.CASCADE, primary_key=True, related_name="sealed_key"
    )
    sealed = models.TextField()

    class Meta:
        verbose_name = _("nyckel till autentiseringsapp")
        verbose_name_plural = _("nycklar till autentiseringsappar")

    def __str__(self) -> str:
        return f"key of device {self.device_id}"


class VerifyAllowedBase:
    """The end of ``ThrottlingMixin.verify_is_allowed``'s chain (a device has it
    from ``Device``)."""

    def verify_is_allowed(self):
        return True, None


class DecoyThrottle(ThrottlingMixin, VerifyAllowedBase, models.Model):
    """django-otp's throttling for an account without an authenticator app (or
    an unknown name) in a proof flow: the waits after wrong codes are the same
    as a real device's, so they do not tell who has one."""

    subject = models.CharField(max_length=300, unique=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("spärr utan autentiseringsapp")

    def __str__(self) -> str:
        return self.subject

    def get_throttle_factor(self):
        return getattr(settings, "OTP_TOTP_THROTTLE_FACTOR", 1)
