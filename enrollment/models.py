"""Enrollments, linked to the directory user by objectGUID (a rename keeps them)."""

from __future__ import annotations

from django.db import models
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
