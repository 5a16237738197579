"""One-time code challenges: a code e-mailed to a private address, kept only as a hash."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SendState(models.TextChoices):
    QUEUED = "queued", _("Köad")
    SENDING = "sending", _("Skickas")
    SENT = "sent", _("Skickad")
    FAILED = "failed", _("Misslyckades")


class MailChallenge(models.Model):
    """One code e-mailed (or being e-mailed) to one address for one purpose.

    Bound to its purpose ("enroll", "flow:<proof flow id>", "helpdesk"), to
    the directory user and to the browser session that asked for it. A resend
    replaces the code (``generation`` + 1) and its expiry, and resets the
    wrong tries.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    purpose = models.CharField(_("syfte"), max_length=64)
    user_guid = models.CharField(_("användar-GUID"), max_length=36, blank=True, db_index=True)
    username = models.CharField(_("användarnamn"), max_length=256, blank=True)
    # SHA-256 of a random token in the session that asked for the code.
    binding_hash = models.CharField(max_length=64)
    # For an unknown user (or one without E-postkod) in a proof flow: the pages
    # look the same, but nothing is sent and no code is ever accepted.
    decoy = models.BooleanField(default=False)
    # The address, encrypted with enrollment.crypto; "" for a decoy.
    address_protected = models.TextField(blank=True)
    display = models.CharField(_("adress (maskerad)"), max_length=128)
    language = models.CharField(max_length=8, default="sv")
    # HMAC-SHA256 of the code (enrollment.onetime.hash_code); never the code.
    code_hash = models.CharField(max_length=64)
    generation = models.PositiveIntegerField(default=1)
    attempts = models.PositiveSmallIntegerField(_("felaktiga försök"), default=0)
    created_at = models.DateTimeField(_("skapad"), default=timezone.now)
    code_sent_at = models.DateTimeField(_("kod begärd"), default=timezone.now)
    expires_at = models.DateTimeField(_("går ut"))
    used_at = models.DateTimeField(_("använd"), null=True, blank=True)
    send_state = models.CharField(
        _("sändning"), max_length=16, choices=SendState.choices, default=SendState.QUEUED
    )
    send_permanent = models.BooleanField(default=False)
    send_error = models.CharField(max_length=32, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("e-postkod")
        verbose_name_plural = _("e-postkoder")
        indexes = [models.Index(fields=["created_at"])]

    def __str__(self) -> str:
        return f"{self.purpose} {self.display} ({self.send_state})"

    @property
    def failed(self) -> bool:
        return self.send_state == SendState.FAILED

    @property
    def pending(self) -> bool:
        return self.send_state in (SendState.QUEUED, SendState.SENDING)
