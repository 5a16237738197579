from __future__ import annotations

import uuid

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


class NoticeLink(models.Model):
    """The "Det var inte jag" link of one notice: what the notice said
    (``kind``, ``detail``, ``occurred_at``) and whether it was used. The link
    itself is signed (``identity.holds``); this row makes it single-use."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user_guid = models.CharField(max_length=36, db_index=True)
    username = models.CharField(max_length=256, blank=True)
    # e.g. "password.reset", "enrollment.created", "password.expiry"
    kind = models.CharField(max_length=64)
    # A service's name or the days left: no more than the notice said.
    detail = models.CharField(max_length=128, blank=True)
    occurred_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(db_index=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("länk ”Det var inte jag”")
        verbose_name_plural = _("länkar ”Det var inte jag”")

    def __str__(self) -> str:
        return f"{self.kind} {self.occurred_at:%Y-%m-%d %H:%M}"


class AccountHold(models.Model):
    """An account whose owner said "Det var inte jag": self-service reset and
    enrolment changes are blocked until the helpdesk clears it (``cleared_at``)."""

    user_guid = models.CharField(max_length=36, db_index=True)
    username = models.CharField(max_length=256, blank=True)
    kind = models.CharField(max_length=64, blank=True)  # the notice it came from
    link = models.ForeignKey(NoticeLink, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    cleared_at = models.DateTimeField(null=True, blank=True)
    cleared_by = models.CharField(max_length=256, blank=True)

    class Meta:
        verbose_name = _("spärr efter ”Det var inte jag”")
        verbose_name_plural = _("spärrar efter ”Det var inte jag”")
        constraints = [
            models.UniqueConstraint(
                fields=["user_guid"],
                condition=models.Q(cleared_at__isnull=True),
                name="one_active_hold_per_account",
            )
        ]

    def __str__(self) -> str:
        return f"{self.username or self.user_guid} {self.created_at:%Y-%m-%d %H:%M}"
