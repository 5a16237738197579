"""The append-only audit trail. Rows are written only by ``audit.record()``."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    pass


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("audit events cannot be changed")

    def delete(self):
        raise AppendOnlyError("audit events are removed only by prune_audit()")

    def _prune(self):
        # The one sanctioned way to remove rows: the retention job.
        return super().delete()


class AuditEvent(models.Model):
    class Result(models.TextChoices):
        SUCCESS = "success", _("Lyckades")
        FAILURE = "failure", _("Misslyckades")
        DENIED = "denied", _("Nekad")
        ERROR = "error", _("Fel")
        INFO = "info", _("Information")

    created_at = models.DateTimeField(_("tid"), auto_now_add=True, db_index=True)
    action = models.CharField(_("händelse"), max_length=64, db_index=True)
    result = models.CharField(_("resultat"), max_length=16, choices=Result.choices, db_index=True)
    # Who did it (a logged-in user or helpdesk staff); empty for anonymous.
    actor = models.CharField(_("utförd av"), max_length=256, blank=True, db_index=True)
    # Whom it concerns: the directory user's objectGUID and the name at the time.
    subject_guid = models.CharField(_("användar-GUID"), max_length=36, blank=True, db_index=True)
    subject = models.CharField(_("användare"), max_length=256, blank=True, db_index=True)
    ip_address = models.GenericIPAddressField(_("IP-adress"), null=True, blank=True)
    user_agent = models.CharField(_("webbläsare"), max_length=512, blank=True)
    details = models.JSONField(_("detaljer"), default=dict, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("granskningshändelse")
        verbose_name_plural = _("granskningshändelser")
        indexes = [models.Index(fields=["subject_guid", "-created_at"])]

    def __str__(self) -> str:
        # The portal's local time with its zone named, as everywhere else.
        when = timezone.localtime(self.created_at) if self.created_at else None
        stamp = f"{when:%Y-%m-%d %H:%M:%S %Z}" if when else ""
        return f"{stamp} {self.action} {self.result} {self.subject}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("audit events cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("audit events cannot be deleted")
