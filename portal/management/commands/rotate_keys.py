"""Move stored personal data to the newest FIELD_ENCRYPTION_KEY and PII_HASH_KEY.

Rotation: put the new key first (``FIELD_ENCRYPTION_KEY=new,old``), restart,
run ``manage.py rotate_keys``, then drop the old key. Data written while the
keys fell back to SECRET_KEY is read with SECRET_KEY / SECRET_KEY_FALLBACKS
and moved the same way. A personnummer hash cannot be recomputed without the
number: each is moved at the person's next BankID use, so keep the old
PII_HASH_KEY listed after the new one.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from enrollment.crypto import decrypt, is_current, pii_hash, reencrypt
from enrollment.models import Enrollment
from services.bankid.models import BankIDOrder
from services.mailcode.address import address_hash
from services.mailcode.models import MailChallenge
from services.sms.models import SmsChallenge
from services.totp.models import TotpKey


def _reencrypt_field(queryset, field: str) -> tuple[int, int]:
    """(re-encrypted, unreadable) for the non-empty ``field`` of the rows."""
    moved = unreadable = 0
    for pk, token in queryset.exclude(**{field: ""}).values_list("pk", field).iterator():
        if is_current(token):
            continue
        try:
            fresh = reencrypt(token)
        except ValueError:
            unreadable += 1
            continue
        queryset.model.objects.filter(pk=pk, **{field: token}).update(**{field: fresh})
        moved += 1
    return moved, unreadable


def _rehash(service: str, rehash) -> int:
    """Recompute the keyed hash of each enrolment of ``service`` from its
    decrypted value with the newest PII_HASH_KEY; returns how many changed."""
    rehashed = 0
    for enrollment in Enrollment.objects.filter(service=service).exclude(protected_value=""):
        try:
            value = decrypt(enrollment.protected_value)
        except ValueError:
            continue
        fresh = rehash(value)
        if enrollment.value_hash != fresh:
            Enrollment.objects.filter(pk=enrollment.pk).update(value_hash=fresh)
            rehashed += 1
    return rehashed


class Command(BaseCommand):
    help = (
        "Re-encrypt phone numbers and e-mail addresses with the newest "
        "FIELD_ENCRYPTION_KEY and rehash what can be."
    )

    def handle(self, *args, **options):
        unreadable_total = 0
        with transaction.atomic():
            for label, queryset, field in (
                ("enrollments", Enrollment.objects.all(), "protected_value"),
                ("SMS challenges", SmsChallenge.objects.all(), "phone_protected"),
                ("e-mail code challenges", MailChallenge.objects.all(), "address_protected"),
                ("BankID orders", BankIDOrder.objects.all(), "qr_secret"),
                ("authenticator app keys", TotpKey.objects.all(), "sealed"),
            ):
                moved, unreadable = _reencrypt_field(queryset, field)
                unreadable_total += unreadable
                self.stdout.write(f"{label}: {moved} re-encrypted, {unreadable} unreadable")
            for service, what, rehash in (
                ("sms", "phone", lambda phone: pii_hash(phone, purpose="phone")),
                ("email", "e-mail address", address_hash),
            ):
                rehashed = _rehash(service, rehash)
                self.stdout.write(f"{what} hashes: {rehashed} rehashed")
        bankid = Enrollment.objects.filter(service="bankid").count()
        self.stdout.write(
            f"BankID enrollments: {bankid} (a personnummer hash cannot be recomputed without "
            "the number: each moves to the newest PII_HASH_KEY at its next BankID use; keep "
            "the older keys listed)"
        )
        if unreadable_total:
            raise CommandError(
                f"{unreadable_total} values cannot be decrypted with any configured key: "
                "add the key they were written with to FIELD_ENCRYPTION_KEY (after the newest) "
                "or to SECRET_KEY_FALLBACKS, and run this again."
            )
