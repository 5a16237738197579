from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """The local row of a directory user, created on login.

    ``directory_guid`` (objectGUID) is the link to the directory and to
    enrollments: a renamed account keeps its enrollments.
    """

    directory_guid = models.CharField(
        _("objectGUID"), max_length=36, unique=True, null=True, blank=True
    )
    display_name = models.CharField(_("visningsnamn"), max_length=256, blank=True)

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"

    def __str__(self) -> str:
        return self.display_name or self.username


class DemoDirectoryUser(models.Model):
    """A user of the demo directory (``devtools.demo_directory``).

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
        verbose_name = _("demokatalogens användare")
        verbose_name_plural = _("demokatalogens användare")

    def __str__(self) -> str:
        return self.username


class Throttle(models.Model):
    """The attempts of one subject in one scope (a sliding-window log).

    Security counters live here, not in the cache: a cache may evict them
    (Django's database cache culls entries when it is full), and a lockout
    that an attacker can flush away protects nothing. ``identity.throttle``
    reads and writes a row only under its row lock, so a parallel burst
    cannot get more attempts through than the limit.
    """

    # sha256 of "scope:subject"; the subject itself (a name, an address) is not kept.
    key = models.CharField(max_length=64, primary_key=True)
    scope = models.CharField(max_length=48, db_index=True)
    # [[unix time, token], ...], oldest first; only those inside the window are kept.
    hits = models.JSONField(default=list)
    # When the newest hit leaves its window: the row can be deleted after that.
    expires_at = models.FloatField(default=0, db_index=True)

    class Meta:
        verbose_name = _("spärr")
        verbose_name_plural = _("spärrar")

    def __str__(self) -> str:
        return f"{self.scope}: {len(self.hits)}"
