"""No admin page and no export shows a phone number, an encrypted value or a hash."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from audit.models import AuditEvent
from audit.service import record
from helpdesk.models import EnrollmentReminder

from .conftest import ANNA_PHONE, ANNA_PHONE_MASKED
from .test_permissions import admin_urls

pytestmark = pytest.mark.django_db


@pytest.fixture
def pii_everywhere(anna_sms, helpdesk, portal_admin):
    # A phone number typed as a username, and one in a free-text detail.
    login_event = record(action="login", result="failure", subject="0701234512")
    detail_event = record(
        action="helpdesk.note",
        result="info",
        subject="anna",
        subject_guid=anna_sms.user_guid,
        details={"note": f"ringde från {ANNA_PHONE}", "display": ANNA_PHONE_MASKED},
    )
    reminder = EnrollmentReminder.objects.create(
        user_guid=anna_sms.user_guid, username="anna", sent_at=detail_event.created_at
    )
    from django.contrib.auth import get_user_model

    objects = {
        "guid": anna_sms.user_guid,
        "content_type": ContentType.objects.get_for_model(AuditEvent).pk,
        "enrollment": anna_sms.pk,
        "audit/auditevent": detail_event.pk,
        "enrollment/enrollment": anna_sms.pk,
        "helpdesk/enrollmentreminder": reminder.pk,
        "identity/user": get_user_model().objects.get(username="helena").pk,
        "auth/group": Group.objects.get(name="Helpdesk").pk,
    }
    secrets = [
        ANNA_PHONE,
        "0701234512",
        "701234512",
        anna_sms.protected_value,
        anna_sms.value_hash,
    ]
    return objects, secrets, login_event


def assert_clean(text: str, secrets: list[str], where: str) -> None:
    for secret in secrets:
        assert secret not in text, f"{where} shows {secret[:12]}…"


def body(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


@pytest.mark.parametrize("who", ["helpdesk", "portal_admin"])
def test_no_admin_page_shows_the_number_or_its_secrets(who, request, pii_everywhere):
    objects, secrets, login_event = pii_everywhere
    client = request.getfixturevalue(who)
    urls = [url for _key, url in admin_urls(objects)]
    urls += [
        f"/admin/audit/auditevent/{login_event.pk}/change/",
        reverse("admin:helpdesk_find") + "?q=**12",
        reverse("admin:helpdesk_find") + "?q=anna",
        "/admin/enrollment/enrollment/?q=12",
    ]
    for url in urls:
        assert_clean(body(client.get(url)), secrets, url)


def test_the_masked_number_is_what_the_pages_show(helpdesk, pii_everywhere):
    objects, _secrets, _event = pii_everywhere
    page = helpdesk.get(reverse("admin:helpdesk_user", args=[objects["guid"]])).content.decode()
    assert ANNA_PHONE_MASKED in page
    listing = helpdesk.get("/admin/enrollment/enrollment/").content.decode()
    assert ANNA_PHONE_MASKED in listing


def test_the_csv_export_masks_numbers_in_names_and_details(helpdesk, pii_everywhere):
    _objects, secrets, _event = pii_everywhere
    text = body(helpdesk.get("/admin/audit/auditevent/export/"))
    assert_clean(text, secrets, "CSV")
    assert "********12" in text and "+*********12" in text
