"""Keys of their own for personal data: rotating SECRET_KEY loses nothing, and
``manage.py rotate_keys`` moves data written under older keys to the newest."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse

from enrollment import proofs
from enrollment.crypto import decrypt, is_current, pii_hash
from enrollment.models import Enrollment
from services.bankid.collect import collect_once
from services.bankid.models import BankIDOrder
from services.bankid.orders import qr_content
from services.bankid.pnr import hash_personal_number
from tests.services.bankid.conftest import PNR

from ..reset.conftest import PHONE, Walker, enrol_sms, prove_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def walker(client, django_capture_on_commit_callbacks):
    return Walker(client, django_capture_on_commit_callbacks)


def enrol_bankid(user):
    return Enrollment.objects.create(
        user_guid=user.guid,
        username=user.username,
        service="bankid",
        display="Anna",
        value_hash=hash_personal_number(PNR),
    )


def sms_proof_works(walker) -> bool:
    flow_id = walker.start_flow("anna")
    response = walker.prove_with_sms(flow_id)
    return response.status_code == 302 and response["Location"] == prove_url(flow_id)


def bankid_proof_outcome(client, sim, user) -> str:
    class Request:  # the proof flow lives in the test client's session
        pass

    request = Request()
    request.session = client.session
    flow = proofs.start_flow(
        request, purpose="reset", user_guid=user.guid, username="anna", return_url="/reset/x/"
    )
    request.session.save()
    response = client.post(reverse("bankid_verify", kwargs={"flow_id": flow.id}))
    order = BankIDOrder.objects.get(pk=response["Location"].rstrip("/").split("/")[-1])
    sim.scan(qr_content(order))
    sim.approve(order.order_ref, personal_number=PNR)
    collect_once(order_id=str(order.pk), token=order.collect_token)
    order.refresh_from_db()
    return order.outcome


def test_rotating_secret_key_keeps_every_enrollment(
    walker, client, sim, bankid_settings, demo_user, settings
):
    settings.FIELD_ENCRYPTION_KEY = "field-key-one"
    settings.PII_HASH_KEY = "hash-key-one"
    enrol_sms(demo_user)
    enrol_bankid(demo_user)
    settings.SECRET_KEY = "a-brand-new-secret-key-after-a-leak-0123456789"
    settings.SECRET_KEY_FALLBACKS = []
    assert sms_proof_works(walker)
    assert bankid_proof_outcome(client, sim, demo_user) == "verified"


def test_rotate_keys_moves_data_written_under_secret_key_to_keys_of_their_own(
    walker, client, sim, bankid_settings, demo_user, settings
):
    settings.FIELD_ENCRYPTION_KEY = ""
    settings.PII_HASH_KEY = ""
    settings.SECRET_KEY = "the-old-secret-key-the-data-was-written-under-0123"
    sms = enrol_sms(demo_user)
    bankid = enrol_bankid(demo_user)
    old_bankid_hash = bankid.value_hash

    # The operator sets keys of their own, rotates SECRET_KEY (keeping the old
    # one as a fallback, as Django's docs say), and runs rotate_keys.
    settings.FIELD_ENCRYPTION_KEY = "field-key-new"
    settings.PII_HASH_KEY = "hash-key-new"
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-brand-new-secret-key-after-a-leak-0123456789"
    call_command("rotate_keys", stdout=open("/dev/null", "w"))  # noqa: SIM115

    sms.refresh_from_db()
    assert is_current(sms.protected_value) and decrypt(sms.protected_value) == PHONE
    assert sms.value_hash == pii_hash(PHONE, purpose="phone")
    # The personnummer hash moves at its next use.
    assert bankid_proof_outcome(client, sim, demo_user) == "verified"
    bankid.refresh_from_db()
    assert bankid.value_hash == hash_personal_number(PNR) != old_bankid_hash

    # The old SECRET_KEY can go now: everything is under the new keys.
    settings.SECRET_KEY_FALLBACKS = []
    assert sms_proof_works(walker)
    assert bankid_proof_outcome(client, sim, demo_user) == "verified"


def test_rotate_keys_fails_loudly_on_values_no_key_can_read(demo_user, settings):
    settings.FIELD_ENCRYPTION_KEY = "a-key-that-is-lost-later"
    enrol_sms(demo_user)
    settings.FIELD_ENCRYPTION_KEY = "another-key"
    with pytest.raises(Exception, match="cannot be decrypted with any configured key"):
        call_command("rotate_keys", stdout=open("/dev/null", "w"))  # noqa: SIM115
