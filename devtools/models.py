"""The demo directory's users (a development tool: not in the product)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DemoDirectoryUser(models.Model):
    """A user of the demo directory (``devtools.demo_directory``), a development tool.

    Kept in the database so the web and worker processes see one directory and
    a reset password survives a restart. Passwords are stored as Django hashes.
    """

    guid = models.CharField(max_length=36, unique=True)
    username = models.CharField(max_length=64, unique=True)
    upn = models.CharField(max_length=256, blank=True)
    display_name = models.CharField(max_length=256, blank=True)
    given_name = models.CharField(max_length=128, blank=True)
    mail = models.CharField(max_length=256, blank=True)
    mobile = models.CharField(max_length=64, blank=True)
    ou = models.CharField(max_length=256, blank=True)
    groups = models.JSONField(default=list, blank=True)
    extra = models.JSONField(default=dict, blank=True)
    password_hash = models.CharField(max_length=256)
    password_history = models.JSONField(default=list, blank=True)
    password_last_set = models.DateTimeField(null=True, blank=True)
    must_change_password = models.BooleanField(default=False)
    disabled = models.BooleanField(default=False)
    bad_password_count = models.PositiveIntegerField(default=0)
    locked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        # The table kept the name it had in the identity app.
        db_table = "identity_demodirectoryuser"
        verbose_name = _("demokatalogens användare")
        verbose_name_plural = _("demokatalogens användare")

    def __str__(self) -> str:
        return self.username
