"""BankID orders: one row per order, written by the collect task."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class BankIDOrder(models.Model):
    class Purpose(models.TextChoices):
        ENROLL = "enroll", _("Registrering")
        VERIFY = "verify", _("Identifiering")
        HELPDESK = "helpdesk", _("Kontroll av den som ringer")

    class Status(models.TextChoices):
        PENDING = "pending", _("Väntar")
        COMPLETE = "complete", _("Klar")
        FAILED = "failed", _("Misslyckades")
        ERROR = "error", _("Fel")
        CANCELLED = "cancelled", _("Avbruten")
        EXPIRED = "expired", _("Utgången")

    # What happened at completion (only for status COMPLETE).
    class Outcome(models.TextChoices):
        NONE = "", "-"
        ENROLLED = "enrolled", _("Registrerad")
        VERIFIED = "verified", _("Identifierad")
        MISMATCH = "mismatch", _("Fel person")
        DIRECTORY_MISMATCH = "directory_mismatch", _("Stämmer inte med katalogen")
        ALREADY_ENROLLED = "already_enrolled", _("Redan registrerad av någon annan")
        # BankID's risk was high (services.bankid.risk).
        RISK_REFUSED = "risk_refused", _("Nekad: hög risk")
        VERIFIED_STEP_UP = "verified_step_up", _("Identifierad, kräver ytterligare en tjänst")
        # The account was put on hold ("Det var inte jag") while the order ran.
        HELD = "held", _("Nekad: kontot är spärrat")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    purpose = models.CharField(max_length=16, choices=Purpose.choices)
    user_guid = models.CharField(max_length=36, blank=True, db_index=True)
    username = models.CharField(max_length=256, blank=True)
    # The browser session the order belongs to: nobody else can see or steer it.
    session_key = models.CharField(max_length=64, db_index=True)
    flow_id = models.CharField(max_length=64, blank=True)
    order_ref = models.CharField(max_length=64, unique=True)
    auto_start_token = models.CharField(max_length=64, blank=True)
    qr_start_token = models.CharField(max_length=64, blank=True)
    qr_secret = models.TextField(blank=True)  # encrypted (enrollment.crypto)
    started_at = models.FloatField()  # epoch seconds of the /auth response (QR time)
    end_user_ip = models.GenericIPAddressField(null=True, blank=True)
    # Keyed hash of the personnummer the completion must match ("" = anyone).
    expected_hash = models.CharField(max_length=64, blank=True)
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    hint_code = models.CharField(max_length=64, blank=True)
    error_code = models.CharField(max_length=64, blank=True)
    outcome = models.CharField(max_length=32, choices=Outcome.choices, blank=True)
    result_name = models.CharField(max_length=256, blank=True)
    # The live collect chain's token: a task whose token is not this one is stale.
    collect_token = models.CharField(max_length=32, blank=True)
    last_collect_at = models.FloatField(null=True, blank=True)
    # When the batch collector may collect it next (epoch seconds); claiming
    # it moves this on by one interval, so a worker that dies mid-batch leaves
    # the order due again for another one.
    next_collect_at = models.FloatField(null=True, blank=True)
    collect_count = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        # The table kept its name when the model moved out of the enrollment app.
        db_table = "enrollment_bankidorder"
        verbose_name = _("BankID-order")
        verbose_name_plural = _("BankID-ordrar")
        indexes = [
            models.Index(fields=["status", "created_at"]),
            models.Index(fields=["status", "next_collect_at"], name="bankid_order_due"),
        ]

    def __str__(self) -> str:
        return f"{self.purpose} {self.status} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_final(self) -> bool:
        return self.status != self.Status.PENDING
