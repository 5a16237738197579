"""Adding an identity service means adding an app (tests/plugin_service) to
INSTALLED_APPS: the registry, the home page's star-meter, the notices and the
helpdesk pick it up without a change to the core, the reset flows or the
helpdesk."""

from __future__ import annotations

import importlib

import pytest
from django.urls import clear_url_caches, reverse

from enrollment.registry import all_services, get_service
from enrollment.stars import star_meter
from tests.plugin_service import service as plugin

pytestmark = pytest.mark.django_db


def _reload_urls() -> None:
    import enrollment.urls
    import portal.urls

    importlib.reload(enrollment.urls)
    importlib.reload(portal.urls)
    clear_url_caches()


@pytest.fixture
def installed(settings):
    """The throw-away service app installed, nothing else changed."""
    settings.INSTALLED_APPS = [*settings.INSTALLED_APPS, "tests.plugin_service"]
    _reload_urls()
    plugin.SENT.clear()
    yield
    del settings.INSTALLED_APPS
    _reload_urls()


def test_without_the_app_there_is_no_such_service():
    assert get_service("testkey") is None


def test_the_registry_finds_the_installed_service(installed):
    assert [s.key for s in all_services()] == ["sms", "bankid", "email", "testkey"]
    assert get_service("testkey").weight == 1


def test_the_home_page_offers_it_and_its_star_counts_once_enrolled(installed, demo_user, client):
    client.post(reverse("login"), {"username": "anna", "password": "Gammal-Hemlis-42"})
    home = client.get(reverse("home")).content.decode()
    assert f'<a href="{reverse("testkey_enroll")}">Testnyckel</a>' in home
    response = client.post(reverse("testkey_enroll"))
    assert response["Location"] == reverse("home")
    assert star_meter(user_guid=demo_user.guid).collected == 1
    home = client.get(reverse("home")).content.decode()
    assert 'id="done-services"' in home and "Testnyckel" in home


def test_notices_go_through_it_when_another_service_is_enrolled(
    installed, demo_user, client, django_capture_on_commit_callbacks
):
    from enrollment.services import save_enrollment

    for service in ("testkey", "bankid"):
        with django_capture_on_commit_callbacks(execute=True):
            save_enrollment(
                request=None,
                user_guid=demo_user.guid,
                username="anna",
                service=service,
                display="x",
            )
    (notice,) = plugin.SENT
    assert notice["kind"] == "enrollment.bankid" and "Mobilt BankID" in notice["text"]


def test_the_helpdesk_offers_and_runs_its_caller_check(installed, demo_user, helpdesk):
    from enrollment.services import save_enrollment

    save_enrollment(
        request=None, user_guid=demo_user.guid, username="anna", service="testkey", display="k-42"
    )
    user_page = reverse("admin:helpdesk_user", args=[demo_user.guid])
    verify = reverse("admin:helpdesk_verify", kwargs={"guid": demo_user.guid, "method": "testkey"})
    page = helpdesk.get(user_page).content.decode()
    assert "Fråga efter testnyckeln" in page and verify in page
    assert "nyckel …42" in page  # shown the service's masked way
    assert helpdesk.get(verify).content.decode() == "Testnyckel för anna"
    assert helpdesk.post(verify)["Location"] == user_page
    assert "bekräftades med Testnyckel" in helpdesk.get(user_page).content.decode()
