"""The user's own keys page: the login and step-up rules of every change,
rename, remove (the last one takes the enrolment with it), all audited."""

from __future__ import annotations

import time

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from enrollment.crypto import encrypt
from enrollment.models import Enrollment
from enrollment.services import save_enrollment
from services.passkey.models import PasskeyCredential

from .helpers import add_key

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def anna(client, login, demo_user):
    login()
    return demo_user


def test_the_page_needs_a_fresh_login(client, demo_user, login):
    assert reverse("login") in client.get(reverse("passkey_manage"))["Location"]
    login()
    session = client.session
    session["auth_at"] = int(time.time()) - 16 * 60
    session.save()
    assert reverse("login") in client.get(reverse("passkey_manage"))["Location"]


def test_the_page_lists_the_keys_and_offers_a_new_one(client, anna):
    add_key(anna, "Jobbtelefonen")
    html = client.get(reverse("passkey_manage")).content.decode()
    assert "Jobbtelefonen" in html and "Lägg till passkey eller säkerhetsnyckel" in html
    assert 'id="passkey-options"' in html and "js/passkey" in html


def test_a_key_is_renamed(client, anna):
    key = add_key(anna, "Gammalt namn")
    response = client.post(
        reverse("passkey_manage"), {"action": "rename", "key": key.pk, "name": "  Ny  nyckel "}
    )
    assert response.status_code == 302
    key.refresh_from_db()
    assert key.name == "Ny nyckel"
    assert Enrollment.objects.get(service="passkey").display == "Ny nyckel"
    event = AuditEvent.objects.get(action="passkey.renamed")
    assert event.details["old_name"] == "Gammalt namn" and event.details["name"] == "Ny nyckel"


def test_a_bad_name_says_why(client, anna):
    key = add_key(anna, "Namn")
    for name, text in (("   ", "Skriv ett namn på nyckeln."), ("x" * 65, "högst 64 tecken")):
        response = client.post(
            reverse("passkey_manage"), {"action": "rename", "key": key.pk, "name": name}
        )
        assert response.status_code == 400 and text in response.content.decode()
    key.refresh_from_db()
    assert key.name == "Namn"


def test_another_users_key_cannot_be_renamed_or_removed(client, anna, bertil):
    theirs = add_key(bertil, "Bertils")
    response = client.post(
        reverse("passkey_manage"), {"action": "rename", "key": theirs.pk, "name": "Min"}
    )
    assert response.status_code == 400
    assert client.post(reverse("passkey_remove", kwargs={"key_id": theirs.pk})).status_code == 404
    theirs.refresh_from_db()
    assert theirs.name == "Bertils"


def test_removing_keys_one_by_one(client, anna):
    first, second = add_key(anna, "Ett"), add_key(anna, "Två")
    page = client.get(reverse("passkey_remove", kwargs={"key_id": first.pk})).content.decode()
    assert "Vill du ta bort Ett?" in page
    response = client.post(reverse("passkey_remove", kwargs={"key_id": first.pk}))
    assert response["Location"] == reverse("passkey_manage")
    assert Enrollment.objects.get(service="passkey").display == "Två"

    response = client.post(reverse("passkey_remove", kwargs={"key_id": second.pk}))
    assert response["Location"] == reverse("home")
    assert not PasskeyCredential.objects.exists()
    assert not Enrollment.objects.filter(service="passkey").exists()
    removed = AuditEvent.objects.filter(action="passkey.removed").order_by("pk")
    assert [e.details["remaining"] for e in removed] == [1, 0]
    assert all(e.details["by"] == "user" for e in removed)


def test_a_change_needs_a_proof_through_another_service(client, anna):
    key = add_key(anna, "Nyckel")
    save_enrollment(
        request=None,
        user_guid=anna.guid,
        username="anna",
        service="sms",
        display="+46 70*** **12",
        protected_value=encrypt("+46701234512"),
    )
    for response in (
        client.get(reverse("passkey_manage")),
        client.post(reverse("passkey_remove", kwargs={"key_id": key.pk})),
        client.post(reverse("passkey_manage"), {"action": "rename", "key": key.pk, "name": "X"}),
    ):
        assert response.status_code == 302 and "/sms/verify/" in response["Location"]
    key.refresh_from_db()
    assert key.name == "Nyckel"


def test_reloading_the_page_keeps_one_live_challenge(client, anna):
    from services.passkey.models import PasskeyChallenge

    for _ in range(5):
        client.get(reverse("passkey_manage"))
    assert PasskeyChallenge.objects.count() == 1
