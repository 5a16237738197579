"""The helpdesk sees a user's keys by name and dates, removes one with a
reason or all of them with the enrolment; coverage counts the service. There
is no caller check: a passkey cannot be read over the phone."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from enrollment.models import Enrollment
from enrollment.registry import get_service
from services.passkey.models import PasskeyCredential

from .helpers import add_key

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_keys(demo_user):
    used = timezone.now() - timedelta(days=1)
    first = add_key(demo_user, "Jobbtelefonen", last_used_at=used)
    second = add_key(demo_user, "Blå YubiKey")
    return first, second


def user_page(client, user) -> str:
    return client.get(reverse("admin:helpdesk_user", kwargs={"guid": user.guid})).content.decode()


def test_the_user_page_shows_the_keys_by_name_and_dates_only(helpdesk, demo_user, two_keys):
    first, second = two_keys
    html = user_page(helpdesk, demo_user)
    today = timezone.localdate().isoformat()
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    assert f"Jobbtelefonen (tillagd {today}, senast använd {yesterday})" in html
    assert f"Blå YubiKey (tillagd {today}, inte använd)" in html
    assert first.credential_id not in html and "aGFuZGxl" not in html
    assert not get_service("passkey").caller_check_available()


def test_one_key_is_removed_with_a_reason_and_the_user_is_told(
    helpdesk, demo_user, two_keys, django_capture_on_commit_callbacks
):
    first, second = two_keys
    url = reverse("admin:passkey_passkeycredential_remove", kwargs={"pk": first.pk})
    page = helpdesk.get(url).content.decode()
    assert "Nyckeln Jobbtelefonen tas bort från anna." in page
    response = helpdesk.post(url, {"reason": "x"})
    assert response.status_code == 400 and PasskeyCredential.objects.count() == 2

    with django_capture_on_commit_callbacks(execute=True):
        response = helpdesk.post(url, {"reason": "Borttappad, ärende 42"})
    assert response["Location"] == reverse("admin:helpdesk_user", kwargs={"guid": demo_user.guid})
    assert list(PasskeyCredential.objects.values_list("name", flat=True)) == ["Blå YubiKey"]
    enrollment = Enrollment.objects.get(service="passkey")
    assert enrollment.display == "Blå YubiKey"
    event = AuditEvent.objects.get(action="passkey.removed")
    assert event.actor == "helena" and event.subject_guid == demo_user.guid
    assert event.details["reason"] == "Borttappad, ärende 42" and event.details["by"] == "helpdesk"
    assert any("ändrades på ditt konto" in m.body for m in mail.outbox)


def test_removing_the_last_key_removes_the_enrolment(helpdesk, demo_user):
    key = add_key(demo_user, "Enda")
    url = reverse("admin:passkey_passkeycredential_remove", kwargs={"pk": key.pk})
    helpdesk.post(url, {"reason": "Slutat, ärende 7"})
    assert not Enrollment.objects.filter(service="passkey").exists()
    assert AuditEvent.objects.filter(action="enrollment.removed").exists()


def test_removing_the_enrolment_removes_every_key(helpdesk, demo_user, two_keys):
    enrollment = Enrollment.objects.get(service="passkey")
    url = reverse(
        "admin:helpdesk_remove_enrollment", kwargs={"guid": demo_user.guid, "pk": enrollment.pk}
    )
    helpdesk.post(url, {"reason": "Alla nycklar borta"})
    assert not PasskeyCredential.objects.exists()
    assert AuditEvent.objects.filter(action="enrollment.removed").exists()


def test_an_ordinary_user_cannot_remove_keys(ordinary, demo_user, two_keys):
    url = reverse("admin:passkey_passkeycredential_remove", kwargs={"pk": two_keys[0].pk})
    assert ordinary.post(url, {"reason": "Jag vill"}).status_code == 403
    assert PasskeyCredential.objects.count() == 2


def test_coverage_counts_users_with_keys(helpdesk, demo_user, two_keys):
    page = helpdesk.get(reverse("admin:helpdesk_coverage")).content.decode()
    assert "Passkey eller säkerhetsnyckel" in page
