"""Who may open which admin page: every URL of the admin site, four kinds of visitor.

The table below names every admin URL. A page added to the admin without a
line here fails the test: say who may see it.
"""

from __future__ import annotations

import logging
import re

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import URLResolver

from audit.models import AuditEvent
from audit.service import record
from enrollment.models import ResetPolicy
from helpdesk.models import EnrollmentReminder

pytestmark = pytest.mark.django_db

# URL name (or route, for unnamed ones) -> (status for helpdesk, for portal admin).
EXPECTED = {
    "index": (200, 200),
    "login": (302, 302),  # already logged in: on to the admin
    "logout": (405, 405),  # POST only
    "password_change": (404, 404),  # passwords are changed in AD
    "password_change_done": (404, 404),
    "autocomplete": (403, 403),  # needs its parameters
    "jsi18n": (200, 200),
    "view_on_site": (404, 404),
    "helpdesk_find": (200, 200),
    "helpdesk_coverage": (200, 200),
    "helpdesk_user": (200, 200),
    "helpdesk_unlock": (405, 405),  # POST only
    "helpdesk_clear_hold": (405, 405),  # POST only
    "helpdesk_remove_enrollment": (200, 200),
    "helpdesk_verify": (200, 200),
    "app_list:audit": (200, 200),
    "app_list:enrollment": (200, 200),
    "app_list:helpdesk": (404, 200),  # its one model: the reminders (admins only)
    "app_list:identity": (404, 200),
    "app_list:auth": (404, 200),
    "audit_auditevent_changelist": (200, 200),
    "audit_auditevent_export": (200, 200),
    "audit_auditevent_add": (403, 403),
    "audit_auditevent_change": (200, 200),  # read-only view
    "audit_auditevent_delete": (403, 403),
    "audit_auditevent_history": (200, 200),
    "audit/auditevent/<path:object_id>/": (302, 302),
    "enrollment_enrollment_changelist": (200, 200),
    "enrollment_enrollment_add": (403, 403),
    "enrollment_enrollment_change": (200, 200),
    "enrollment_enrollment_delete": (403, 403),  # removal needs a reason: helpdesk page
    "enrollment_enrollment_history": (200, 200),
    "enrollment/enrollment/<path:object_id>/": (302, 302),
    # Per-group policies: portal admins only (each change audited).
    "enrollment_resetpolicy_changelist": (403, 200),
    "enrollment_resetpolicy_add": (403, 200),
    "enrollment_resetpolicy_change": (403, 200),
    "enrollment_resetpolicy_delete": (403, 200),
    "enrollment_resetpolicy_history": (403, 200),
    "enrollment/resetpolicy/<path:object_id>/": (302, 302),
    # Passkeys: shown to whoever sees enrolments; one key is removed (with a
    # reason) on its own page, never through Django's delete.
    "app_list:passkey": (200, 200),
    "passkey_passkeycredential_changelist": (200, 200),
    "passkey_passkeycredential_add": (403, 403),
    "passkey_passkeycredential_change": (200, 200),
    "passkey_passkeycredential_delete": (403, 403),
    "passkey_passkeycredential_history": (200, 200),
    "passkey_passkeycredential_remove": (200, 200),
    "passkey/passkeycredential/<path:object_id>/": (302, 302),
    "helpdesk_enrollmentreminder_changelist": (403, 200),
    "helpdesk_enrollmentreminder_add": (403, 403),
    "helpdesk_enrollmentreminder_change": (403, 200),
    "helpdesk_enrollmentreminder_delete": (403, 403),
    "helpdesk_enrollmentreminder_history": (403, 200),
    "helpdesk/enrollmentreminder/<path:object_id>/": (302, 302),
    "identity_user_changelist": (403, 200),
    "identity_user_add": (403, 403),
    "identity_user_change": (403, 200),
    "identity_user_delete": (403, 403),
    "identity_user_history": (403, 200),
    "identity/user/<path:object_id>/": (302, 302),
    "auth_group_changelist": (403, 200),
    "auth_group_add": (403, 403),
    "auth_group_change": (403, 200),
    "auth_group_delete": (403, 403),
    "auth_group_history": (403, 200),
    "auth/group/<path:object_id>/": (302, 302),
    "catch_all": (404, 404),
}


def _walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern), pattern.name


def admin_urls(objects: dict) -> list[tuple[str, str]]:
    """(key in EXPECTED, concrete URL) for every pattern of the admin site."""
    urls = []
    for route, name in _walk(admin.site.get_urls()):
        if name == "app_list":
            labels = re.search(r"\(\?P<app_label>([^)]*)\)", route).group(1).split("|")
            urls += [(f"app_list:{label}", f"/admin/{label}/") for label in labels]
            continue
        if route == "(?P<url>.*)$":
            urls.append(("catch_all", "/admin/no-such-page/"))
            continue
        model_key = "/".join(route.split("/")[:2])
        path = (
            route.replace("<path:content_type_id>", str(objects["content_type"]))
            .replace("<path:object_id>", str(objects.get(model_key, 1)))
            .replace("<str:guid>", objects["guid"])
            .replace("<int:pk>", str(objects.get(model_key, objects["enrollment"])))
            .replace("<slug:method>", "sms")
        )
        urls.append((name or route, f"/admin/{path}"))
    return urls


def _passkey(user_guid: str):
    from enrollment.services import save_enrollment
    from services.passkey.models import PasskeyCredential

    enrollment = save_enrollment(
        request=None, user_guid=user_guid, username="anna", service="passkey", display="Nyckel"
    )
    return PasskeyCredential.objects.create(
        enrollment=enrollment,
        user_guid=user_guid,
        name="Nyckel",
        credential_id="AAAA",
        public_key=b"",
        user_handle="BBBB",
    )


@pytest.fixture
def objects(anna_sms, helpdesk, portal_admin, ordinary):
    event = record(action="login", result="success", subject="anna")
    policy = ResetPolicy.objects.create(name="Helpdesk", group_dn="CN=Helpdesk,DC=demo,DC=local")
    reminder = EnrollmentReminder.objects.create(
        user_guid=anna_sms.user_guid, username="anna", sent_at=event.created_at
    )
    from django.contrib.auth import get_user_model

    return {
        "guid": anna_sms.user_guid,
        # A model with a table: no object 1 there is a plain 404.
        "content_type": ContentType.objects.get_for_model(AuditEvent).pk,
        "enrollment": anna_sms.pk,
        "audit/auditevent": event.pk,
        "enrollment/enrollment": anna_sms.pk,
        "enrollment/resetpolicy": policy.pk,
        "helpdesk/enrollmentreminder": reminder.pk,
        "passkey/passkeycredential": _passkey(anna_sms.user_guid).pk,
        "identity/user": get_user_model().objects.get(username="olle").pk,
        "auth/group": Group.objects.get(name="Helpdesk").pk,
    }


def test_every_admin_url_is_in_the_table(objects):
    keys = {key for key, _url in admin_urls(objects)}
    assert keys == set(EXPECTED), f"missing: {keys - set(EXPECTED)}, stale: {set(EXPECTED) - keys}"


def test_anonymous_visitors_are_sent_to_the_ad_login(objects):
    client = Client()
    for key, url in admin_urls(objects):
        response = client.get(url)
        assert response.status_code == 302, key
        assert response["Location"].startswith("/login/?next="), key


def test_ordinary_users_are_refused_everywhere(objects, ordinary):
    for key, url in admin_urls(objects):
        assert ordinary.get(url).status_code == 403, key


def test_helpdesk_sees_exactly_its_pages(objects, helpdesk):
    got = {key: helpdesk.get(url).status_code for key, url in admin_urls(objects)}
    assert got == {key: codes[0] for key, codes in EXPECTED.items()}


def test_portal_admin_sees_exactly_its_pages(objects, portal_admin):
    got = {key: portal_admin.get(url).status_code for key, url in admin_urls(objects)}
    assert got == {key: codes[1] for key, codes in EXPECTED.items()}


def test_every_admin_page_view_is_audited_with_its_path(objects, helpdesk):
    helpdesk.get("/admin/audit/auditevent/")
    event = AuditEvent.objects.filter(action="admin.view").latest("id")
    assert (event.actor, event.result) == ("helena", "info")
    assert event.details == {"path": "/admin/audit/auditevent/", "method": "GET"}


def test_a_refused_admin_page_is_audited_as_denied(objects, ordinary):
    ordinary.get("/admin/")
    event = AuditEvent.objects.filter(action="admin.view").latest("id")
    assert (event.actor, event.result) == ("olle", "denied")


def test_admin_login_page_sends_visitors_to_the_ad_login():
    response = Client().get("/admin/login/", {"next": "/admin/audit/"})
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/admin/audit/"


def test_admin_login_page_refuses_to_send_visitors_elsewhere():
    response = Client().get("/admin/login/", {"next": "https://evil.example/"})
    assert response["Location"] == "/login/?next=/admin/"


def test_a_refused_admin_page_is_logged_at_info_without_a_traceback(objects, ordinary, caplog):
    caplog.set_level("INFO")
    assert ordinary.get("/admin/audit/auditevent/").status_code == 403
    assert ordinary.get("/admin/").status_code == 403
    denied = [r for r in caplog.records if r.name == "portal.admin"]
    assert [r.levelname for r in denied] == ["INFO", "INFO"]
    assert all(r.exc_info is None for r in caplog.records)
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_a_permission_the_helpdesk_lacks_is_a_403_logged_at_info(objects, helpdesk, caplog):
    caplog.set_level("INFO")
    assert helpdesk.get("/admin/audit/auditevent/add/").status_code == 403
    assert [r.levelname for r in caplog.records if r.name == "portal.admin"] == ["INFO"]
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
