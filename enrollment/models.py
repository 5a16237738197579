"""Enrollments, linked to the directory user by objectGUID (a rename keeps them)."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Enrollment(models.Model):
    user_guid = models.CharField(_("användar-GUID"), max_length=36, db_index=True)
    # The account name when enrolled, for the helpdesk's search; the GUID is the link.
    username = models.CharField(_("användarnamn"), max_length=256, blank=True, db_index=True)
    service = models.CharField(_("identitetstjänst"), max_length=32)
    # Safe to show: a masked phone number, the name BankID returned.
    display = models.CharField(_("visas som"), max_length=256, blank=True)
    # Encrypted with enrollment.crypto (e.g. the E.164 phone number); never shown.
    protected_value = models.TextField(blank=True)
    # Keyed hash (enrollment.crypto.pii_hash) for matching without the value,
    # e.g. the personnummer or the phone number.
    value_hash = models.CharField(max_length=64, blank=True, db_index=True)
    created_at = models.DateTimeField(_("registrerad"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)
    last_used_at = models.DateTimeField(_("senast använd"), null=True, blank=True)

    class Meta:
        verbose_name = _("registrering")
        verbose_name_plural = _("registreringar")
        constraints = [
            models.UniqueConstraint(
                fields=["user_guid", "service"], name="one_enrollment_per_service"
            )
        ]

    def __str__(self) -> str:
        return f"{self.username or self.user_guid}: {self.service}"


class ResetPolicy(models.Model):
    """A per-group policy edited in the admin (``enrollment.policy``): for the
    members of an AD group (nested) and/or the users under an OU."""

    name = models.CharField(_("namn"), max_length=100, unique=True)
    priority = models.IntegerField(
        _("prioritet"),
        default=100,
        help_text=_("Lägst först: den första policy som passar gäller."),
    )
    enabled = models.BooleanField(_("aktiv"), default=True)
    group_dn = models.CharField(
        _("grupp (DN)"),
        max_length=512,
        blank=True,
        help_text=_(
            "Medlemmar i gruppen, även genom grupper i gruppen, t.ex. "
            "CN=Domain Admins,CN=Users,DC=example,DC=se."
        ),
    )
    ou_dn = models.CharField(
        _("OU (DN)"),
        max_length=512,
        blank=True,
        help_text=_("Användare under denna OU, t.ex. OU=Staff,DC=example,DC=se."),
    )
    services = models.CharField(
        _("identitetstjänster"),
        max_length=256,
        blank=True,
        help_text=_(
            "Tjänst:stjärnor[:required], kommaseparerat, t.ex. bankid:2:required,sms:1. "
            "Tomt: som standardpolicyn."
        ),
    )
    stars_full = models.PositiveSmallIntegerField(
        _("stjärnor för full rad"), null=True, blank=True, help_text=_("Tomt: som standard.")
    )
    stars_reset = models.PositiveSmallIntegerField(
        _("stjärnor för återställning"), null=True, blank=True, help_text=_("Tomt: som standard.")
    )
    reset_allowed = models.BooleanField(
        _("självservice tillåten"),
        default=True,
        help_text=_("Av: kontot kan aldrig återställas eller låsas upp här, bara av IT-supporten."),
    )
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)

    class Meta:
        verbose_name = _("policy")
        verbose_name_plural = _("policyer")
        ordering = ["priority", "name"]

    def __str__(self) -> str:
        return self.name

    def as_rule(self):
        from .policy import PolicyRule, parse_services

        return PolicyRule(
            name=self.name,
            priority=self.priority,
            group_dn=self.group_dn,
            ou_dn=self.ou_dn,
            services=parse_services(self.services),
            stars_full=self.stars_full,
            stars_reset=self.stars_reset,
            reset_allowed=self.reset_allowed,
            source="admin",
        )

    def snapshot(self) -> dict:
        """What the audit trail keeps of a change."""
        return {
            "name": self.name,
            "priority": self.priority,
            "enabled": self.enabled,
            "group_dn": self.group_dn,
            "ou_dn": self.ou_dn,
            "services": self.services,
            "stars_full": self.stars_full,
            "stars_reset": self.stars_reset,
            "reset_allowed": self.reset_allowed,
        }


class SendState(models.TextChoices):
    QUEUED = "queued", _("Köad")
    SENDING = "sending", _("Skickas")
    SENT = "sent", _("Skickad")
    FAILED = "failed", _("Misslyckades")


class CodeChallenge(models.Model):
    """One one-time code sent (or being sent) for one purpose: the fields every
    code service's challenge has (``services.sms.SmsChallenge``,
    ``services.mailcode.MailChallenge``); each adds where it sends to.

    Bound to its purpose ("enroll", "flow:<proof flow id>", "helpdesk"), to
    the directory user and to the browser session that asked for it. A
    resend replaces the code (``generation`` + 1) and its expiry, and resets
    the wrong tries. A decoy (an unknown user, or one without the service,
    in a proof flow) looks the same but sends nothing and accepts no code.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    purpose = models.CharField(_("syfte"), max_length=64)
    user_guid = models.CharField(_("användar-GUID"), max_length=36, blank=True, db_index=True)
    username = models.CharField(_("användarnamn"), max_length=256, blank=True)
    # SHA-256 of a random token in the session that asked for the code.
    binding_hash = models.CharField(max_length=64)
    decoy = models.BooleanField(default=False)
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
        abstract = True

    def __str__(self) -> str:
        return f"{self.purpose} {self.display} ({self.send_state})"

    @property
    def failed(self) -> bool:
        return self.send_state == SendState.FAILED

    @property
    def pending(self) -> bool:
        return self.send_state in (SendState.QUEUED, SendState.SENDING)
