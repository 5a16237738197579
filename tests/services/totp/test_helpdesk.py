"""The authenticator app in the helpdesk: masked, a caller check, removal, coverage."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import AuditEvent
from services.totp.models import TotpKey

from .helpers import code, flow_in, start_flow, verify_url

pytestmark = pytest.mark.django_db


def check_url(guid):
    return reverse("admin:helpdesk_verify", kwargs={"guid": guid, "method": "totp"})


def user_url(guid):
    return reverse("admin:helpdesk_user", args=[guid])


def test_the_user_page_shows_the_app_masked_with_its_date(helpdesk, anna_app, demo_user):
    page = helpdesk.get(user_url(demo_user.guid)).content.decode()
    assert "Autentiseringsapp, tillagd 20" in page
    assert anna_app.secret not in page
    assert "Kontrollera en kod från autentiseringsappen" in page


def test_the_secret_is_not_in_the_admin(helpdesk, anna_app):
    response = helpdesk.get("/admin/otp_totp/totpdevice/")
    assert response.status_code == 404


def test_the_code_read_over_the_phone_confirms_the_caller(helpdesk, anna_app, demo_user):
    page = helpdesk.get(check_url(demo_user.guid)).content.decode()
    assert "läsa upp koden som visas just nu" in page
    response = helpdesk.post(check_url(demo_user.guid), {"code": code(anna_app, steps=1)})
    assert response.status_code == 302 and response["Location"] == user_url(demo_user.guid)
    page = helpdesk.get(response["Location"]).content.decode()
    assert "Den som ringer bekräftades med Autentiseringsapp" in page
    event = AuditEvent.objects.filter(action="helpdesk.verify_caller").latest("pk")
    assert (event.result, event.details["method"]) == ("success", "totp")


def test_a_code_read_to_the_helpdesk_cannot_be_used_again_by_whoever_heard_it(
    helpdesk,
    anna_app,
    demo_user,
    client_factory,
):
    heard = code(anna_app, steps=1)
    helpdesk.post(check_url(demo_user.guid), {"code": heard})
    thief = client_factory()
    flow = start_flow(thief, user_guid=demo_user.guid, username="anna")
    assert thief.post(verify_url(flow), {"code": heard}).status_code == 400
    assert flow_in(thief, flow.id).proved == {}


@pytest.mark.parametrize(
    ("typed", "message", "reason"),
    [
        ("wrong", "Fel kod.", "code_wrong"),
        ("12a456", "Koden får bara innehålla siffror.", "code_format"),
        ("12345", "Koden ska vara 6 siffror.", "code_length"),
    ],
)
def test_a_bad_code_does_not_confirm_the_caller_and_is_audited(
    helpdesk,
    anna_app,
    demo_user,
    typed,
    message,
    reason,
):
    if typed == "wrong":
        right = code(anna_app, steps=1)
        typed = "000000" if right != "000000" else "111111"
    response = helpdesk.post(check_url(demo_user.guid), {"code": typed})
    assert response.status_code == 400
    assert message in response.content.decode()
    event = AuditEvent.objects.filter(action="helpdesk.verify_caller").latest("pk")
    assert (event.result, event.details["reason"]) == ("failure", reason)
    assert "bekräftades" not in helpdesk.get(user_url(demo_user.guid)).content.decode()


def test_misses_are_limited_per_account(helpdesk, anna_app, demo_user, settings):
    settings.HELPDESK_CALLER_CHECK_LIMITS = {"account": (2, 3600)}
    wrong = "000000" if code(anna_app, steps=1) != "000000" else "111111"
    for _ in range(2):
        assert helpdesk.post(check_url(demo_user.guid), {"code": wrong}).status_code == 400
    response = helpdesk.post(check_url(demo_user.guid), {"code": code(anna_app, steps=1)})
    assert response.status_code == 302 and response["Location"] == check_url(demo_user.guid)
    assert not AuditEvent.objects.filter(action="helpdesk.verify_caller", result="success")


def test_the_helpdesk_removes_it_audited_and_the_device_goes(helpdesk, anna_app, demo_user):
    from enrollment.models import Enrollment

    pk = Enrollment.objects.get(service="totp").pk
    url = reverse("admin:helpdesk_remove_enrollment", kwargs={"guid": demo_user.guid, "pk": pk})
    response = helpdesk.post(url, {"reason": "Ny telefon, appen borta"})
    assert response.status_code == 302
    assert not Enrollment.objects.filter(service="totp").exists()
    assert not TOTPDevice.objects.exists() and not TotpKey.objects.exists()
    event = AuditEvent.objects.get(action="enrollment.removed")
    assert (event.actor, event.details["service"]) == ("helena", "totp")


def test_coverage_counts_the_app_through_the_registry(helpdesk, anna_app):
    from helpdesk.coverage import coverage_report

    report = coverage_report()
    row = {row.key: row for row in report.services}["totp"]
    assert (str(row.name), row.users) == ("Autentiseringsapp", 1)
    page = helpdesk.get(reverse("admin:helpdesk_coverage")).content.decode()
    assert "Autentiseringsapp" in page


def test_the_audit_csv_names_the_apps_events(helpdesk, anna_app):
    import csv
    import io

    response = helpdesk.get("/admin/audit/auditevent/export/", {"subject": "anna"})
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    actions = {row["action"] for row in csv.DictReader(io.StringIO(body))}
    assert {"totp.enrolled", "enrollment.created"} <= actions
    assert anna_app.secret not in body
