"""The helpdesk sees a "Det var inte jag" hold on the user page and clears it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from identity import holds
from identity.models import AccountHold

pytestmark = pytest.mark.django_db


def test_the_user_page_shows_the_hold_and_the_helpdesk_clears_it(helpdesk, demo_user):
    AccountHold.objects.create(user_guid=demo_user.guid, username="anna", kind="password.reset")
    page = helpdesk.get(reverse("admin:helpdesk_user", kwargs={"guid": demo_user.guid}))
    assert "Spärrat: ”Det var inte jag”" in page.content.decode()
    response = helpdesk.post(reverse("admin:helpdesk_clear_hold", kwargs={"guid": demo_user.guid}))
    assert response["Location"] == reverse("admin:helpdesk_user", kwargs={"guid": demo_user.guid})
    assert not holds.is_on_hold(demo_user.guid)
    event = AuditEvent.objects.get(action="identity.hold_cleared")
    assert event.actor == "helena" and event.subject_guid == demo_user.guid
    page = helpdesk.get(reverse("admin:helpdesk_user", kwargs={"guid": demo_user.guid}))
    assert "Spärrat: ”Det var inte jag”" not in page.content.decode()


def test_someone_without_the_unlock_right_cannot_clear_a_hold(ordinary, demo_user):
    AccountHold.objects.create(user_guid=demo_user.guid, username="anna")
    ordinary.post(reverse("admin:helpdesk_clear_hold", kwargs={"guid": demo_user.guid}))
    assert holds.is_on_hold(demo_user.guid)
