"""One-time code challenges: a code sent to a phone, kept only as a hash."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from enrollment.models import CodeChallenge, SendState

__all__ = ["SendState", "SmsChallenge"]


class SmsChallenge(CodeChallenge):
    """One code sent (or being sent) to one phone for one purpose
    (``enrollment.models.CodeChallenge``)."""

    # The E.164 number, encrypted with enrollment.crypto; "" for a decoy.
    phone_protected = models.TextField(blank=True)
    display = models.CharField(_("nummer (maskerat)"), max_length=32)
    provider_id = models.CharField(max_length=128, blank=True)

    #: The field that holds where the code goes (enrollment.codechallenges).
    destination_field = "phone_protected"

    class Meta:
        # The table kept its name when the model moved out of the enrollment app.
        db_table = "enrollment_smschallenge"
        verbose_name = _("sms-kod")
        verbose_name_plural = _("sms-koder")
        indexes = [models.Index(fields=["created_at"])]
