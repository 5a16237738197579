"""When the directory does not answer, the helpdesk is told so (and it is audited)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from devtools.demo_directory import DemoDirectoryBackend
from identity.directory import DirectoryUnavailable

pytestmark = pytest.mark.django_db

DOWN = "Katalogtjänsten svarar inte just nu."


class DownDirectory(DemoDirectoryBackend):
    def _down(self, *args, **kwargs):
        raise DirectoryUnavailable(detail="test")

    find_user = get_user = list_users = unlock = _down


class UnlockFailsDirectory(DemoDirectoryBackend):
    def unlock(self, user):
        raise DirectoryUnavailable(detail="timeout")


@pytest.fixture
def directory_down(helpdesk, settings):
    settings.DIRECTORY_BACKEND = f"{__name__}.DownDirectory"
    return helpdesk


def test_search_says_the_directory_is_down(directory_down):
    response = directory_down.get(reverse("admin:helpdesk_find"), {"q": "anna"})
    assert response.status_code == 503 and DOWN in response.content.decode()
    assert AuditEvent.objects.get(action="helpdesk.search").result == "error"


def test_user_page_says_the_directory_is_down(directory_down, demo_user):
    response = directory_down.get(reverse("admin:helpdesk_user", args=[demo_user.guid]))
    assert response.status_code == 503 and DOWN in response.content.decode()


def test_coverage_says_the_directory_is_down(directory_down):
    response = directory_down.get(reverse("admin:helpdesk_coverage"))
    assert response.status_code == 503 and DOWN in response.content.decode()


def test_a_failed_unlock_is_told_and_audited(helpdesk, demo_user, settings):
    settings.DIRECTORY_BACKEND = f"{__name__}.UnlockFailsDirectory"
    response = helpdesk.post(reverse("admin:helpdesk_unlock", args=[demo_user.guid]), follow=True)
    assert DOWN in response.content.decode()
    event = AuditEvent.objects.get(action="helpdesk.unlock")
    assert (event.result, event.details["reason"]) == ("error", "directory_unavailable")
