"""One-time code challenges: a code e-mailed to a private address, kept only as a hash."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from enrollment.models import CodeChallenge, SendState

__all__ = ["MailChallenge", "SendState"]


class MailChallenge(CodeChallenge):
    """One code e-mailed (or being e-mailed) to one address for one purpose
    (``enrollment.models.CodeChallenge``)."""

    # The address, encrypted with enrollment.crypto; "" for a decoy.
    address_protected = models.TextField(blank=True)
    display = models.CharField(_("adress (maskerad)"), max_length=128)

    #: The field that holds where the code goes (enrollment.codechallenges).
    destination_field = "address_protected"

    class Meta:
        verbose_name = _("e-postkod")
        verbose_name_plural = _("e-postkoder")
        indexes = [models.Index(fields=["created_at"])]
