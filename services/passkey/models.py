"""Passkeys and security keys (WebAuthn credentials), and the challenges they answer.

A user's keys hang on their one ``enrollment.Enrollment`` row of the service
(``passkey``): it exists while at least one key does, and removing it (the
helpdesk's "remove all") removes every key with it.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PasskeyCredential(models.Model):
    enrollment = models.ForeignKey(
        "enrollment.Enrollment", on_delete=models.CASCADE, related_name="passkeys"
    )
    user_guid = models.CharField(_("användar-GUID"), max_length=36, db_index=True)
    name = models.CharField(_("namn"), max_length=64)
    # The credential id (base64url): public, sent in allowCredentials.
    credential_id = models.CharField(max_length=1400, unique=True)
    # The COSE public key: public, verifies the signatures.
    public_key = models.BinaryField()
    sign_count = models.PositiveBigIntegerField(default=0)
    # The WebAuthn user handle (base64url, random) the key was made for.
    user_handle = models.CharField(max_length=128)
    aaguid = models.CharField(max_length=36, blank=True)
    transports = models.JSONField(default=list, blank=True)
    # "platform" (the phone's or computer's own), "cross-platform" (a key) or "".
    attachment = models.CharField(max_length=16, blank=True)
    backed_up = models.BooleanField(_("synkad"), default=False)
    created_at = models.DateTimeField(_("tillagd"), default=timezone.now)
    last_used_at = models.DateTimeField(_("senast använd"), null=True, blank=True)

    class Meta:
        verbose_name = _("passkey eller säkerhetsnyckel")
        verbose_name_plural = _("passkeys och säkerhetsnycklar")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.name


class PasskeyChallenge(models.Model):
    """One challenge given to the browser: answered at most once, within
    ``WEBAUTHN_CHALLENGE_SECONDS``, for the purpose ("register" or
    "flow:<proof flow id>") and the account it was made for."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    purpose = models.CharField(max_length=64)
    user_guid = models.CharField(max_length=36, blank=True)
    challenge = models.CharField(max_length=128)
    # Registration only: the user handle the new key is made for (base64url).
    user_handle = models.CharField(max_length=128, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["created_at"])]

    def __str__(self) -> str:
        return f"{self.purpose} ({self.created_at:%Y-%m-%d %H:%M})"
