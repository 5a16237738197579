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
