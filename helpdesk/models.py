"""Helpdesk models. Their tables kept the names they had in the enrollment app."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class HelpdeskAccess(models.Model):
    """No table: the permissions of the helpdesk's pages, which belong to no model.

    Granted to the staff groups by ``settings.STAFF_GROUP_PERMISSIONS``.
    """

    class Meta:
        managed = False
        db_table = "enrollment_helpdeskaccess"
        default_permissions = ()
        permissions = [
            ("helpdesk_find_user", _("Kan söka användare och se deras uppgifter")),
            ("helpdesk_unlock", _("Kan låsa upp konton")),
            ("helpdesk_verify_caller", _("Kan kontrollera vem som ringer")),
            ("view_coverage", _("Kan se registreringsgraden")),
        ]
        verbose_name = _("helpdesk")
        verbose_name_plural = _("helpdesk")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)


class EnrollmentReminder(models.Model):
    """When a user was last reminded to enrol (one row per user)."""

    user_guid = models.CharField(_("användar-GUID"), max_length=36, unique=True)
    username = models.CharField(_("användarnamn"), max_length=256, blank=True)
    sent_at = models.DateTimeField(_("senast skickad"), db_index=True)
    times_sent = models.PositiveIntegerField(_("antal skickade"), default=0)

    class Meta:
        db_table = "enrollment_enrollmentreminder"
        ordering = ["-sent_at"]
        verbose_name = _("påminnelse om registrering")
        verbose_name_plural = _("påminnelser om registrering")

    def __str__(self) -> str:
        return self.username or self.user_guid
