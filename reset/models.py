"""The portal's own password history, for directories that skip history on an
admin reset (Samba ignores the policy hints control that makes Windows apply it)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PasswordHistory(models.Model):
    """Hashes of the passwords the portal set for one user, newest first.

    All of a user's hashes share one random salt, so checking a new password
    against the whole history costs one slow hash; the salt still differs per
    user. Hashes are PBKDF2-SHA256, keyed with the site's secret as a pepper.
    """

    user_guid = models.CharField(_("användar-GUID"), max_length=36, unique=True)
    salt = models.CharField(max_length=64)
    iterations = models.PositiveIntegerField()
    hashes = models.JSONField(default=list, blank=True)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)

    class Meta:
        verbose_name = _("lösenordshistorik")
        verbose_name_plural = _("lösenordshistorik")

    def __str__(self) -> str:
        return self.user_guid


class PasswordExpiryReminder(models.Model):
    """One expiry reminder sent: a user gets each threshold (days before
    expiry) once per password. Keyed on objectGUID and the password's
    pwdLastSet, so a changed password starts afresh."""

    user_guid = models.CharField(_("användar-GUID"), max_length=36)
    # pwdLastSet of the password the reminder was about (ISO 8601).
    password_last_set = models.CharField(max_length=40)
    threshold = models.PositiveSmallIntegerField(_("dagar före"))
    expires_at = models.DateTimeField(_("går ut"))
    channels = models.CharField(max_length=64, blank=True)
    sent_at = models.DateTimeField(_("skickad"), auto_now_add=True)

    class Meta:
        verbose_name = _("påminnelse om lösenord som går ut")
        verbose_name_plural = _("påminnelser om lösenord som går ut")
        constraints = [
            models.UniqueConstraint(
                fields=["user_guid", "password_last_set", "threshold"],
                name="one_expiry_reminder_per_threshold",
            )
        ]
        indexes = [models.Index(fields=["user_guid", "password_last_set"])]

    def __str__(self) -> str:
        return f"{self.user_guid} {self.threshold}"
