"""The helpdesk in the browser: find a caller's account and remove an enrollment.

A helpdesk person is a demo-directory user in the AD group "Helpdesk" who logs
in through the portal's own login page.
"""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from enrollment.crypto import encrypt, pii_hash
from enrollment.models import Enrollment
from enrollment.services import save_enrollment
from services.bankid.pnr import hash_personal_number

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "Helpdesk-Hemlis-42"


@pytest.fixture
def helena(demo_directory):
    return demo_directory.create_user(
        username="helena",
        password=PASSWORD,
        display_name="Helena Helpdesk",
        mail="helena@demo.local",
        groups=["Helpdesk"],
    )


@pytest.fixture
def anna_with_mobilkod(demo_user):
    save_enrollment(
        request=None,
        user_guid=demo_user.guid,
        username="anna",
        service="sms",
        display="+46 70*** **12",
        protected_value=encrypt("+46701234512"),
        value_hash=pii_hash("+46701234512", purpose="phone"),
    )
    mail.outbox.clear()  # the "Mobilkod was registered" notice
    return demo_user


def log_in_to_the_admin(page, a11y) -> None:
    page.goto("/admin/")
    expect(page).to_have_url(re.compile(r"/login/\?next=/admin/$"))
    a11y(page)
    page.locator("#id_username").fill("helena")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))
    a11y(page)


def test_helpdesk_finds_a_user_and_removes_an_enrollment(page, a11y, helena, anna_with_mobilkod):
    log_in_to_the_admin(page, a11y)

    page.get_by_role("link", name="Sök användare").first.click()
    a11y(page)
    page.get_by_label("Användarnamn, namn, e-post eller slutet av mobilnumret").fill("**12")
    page.get_by_role("button", name="Sök").click()
    expect(page.get_by_role("heading", name="1 träff")).to_be_visible()
    a11y(page)

    page.get_by_role("link", name="Anna Andersson").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Anna Andersson")
    enrollments = page.locator("#enrollments")
    expect(enrollments).to_contain_text("+46 70*** **12")
    expect(page.get_by_role("img", name="1 av 3 stjärnor")).to_be_visible()
    assert "701234512" not in page.content()
    a11y(page)

    page.get_by_role("link", name="Ta bort Mobilkod").click()
    a11y(page)
    page.get_by_role("button", name="Ta bort registreringen").click()
    expect(page.get_by_role("alert")).to_contain_text("Rätta felet nedan.")
    expect(page.get_by_text("Skriv varför registreringen tas bort.")).to_be_visible()
    a11y(page)

    page.get_by_label("Anledning").fill("Har bytt mobilnummer, ärende 4711")
    page.get_by_role("button", name="Ta bort registreringen").click()
    expect(page.get_by_text("Registreringen är borttagen och användaren har fått")).to_be_visible()
    expect(
        page.get_by_text("Användaren har inte registrerat någon identitetstjänst.")
    ).to_be_visible()
    a11y(page)

    assert not Enrollment.objects.filter(user_guid=anna_with_mobilkod.guid).exists()
    assert [m.to for m in mail.outbox] == [["anna.andersson@demo.local"]]


def test_the_coverage_audit_and_caller_check_pages_pass_the_accessibility_check(
    page, a11y, helena, anna_with_mobilkod
):
    log_in_to_the_admin(page, a11y)
    page.get_by_role("link", name="Registreringsgrad").first.click()
    expect(page.get_by_role("img", name="Registreringsgrad per organisationsenhet")).to_be_visible()
    a11y(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/admin/audit/auditevent/")
    # Each event code with its label, and the whole list within the window.
    expect(page.locator("#result_list")).to_contain_text("Inloggning")
    expect(page.locator("#result_list")).to_contain_text("login")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    table = page.locator("#result_list").bounding_box()
    assert table["x"] + table["width"] <= 1280
    a11y(page)
    # The event page: its title and its body give the same local time, zone named.
    page.locator("#result_list tbody tr").last.locator("th a, td a").first.click()
    expect(page.locator(".field-created_shown .readonly")).to_have_text(
        re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d (CET|CEST)")
    )
    shown = page.locator(".field-created_shown .readonly").inner_text()
    expect(page.locator("#content h2, #content-subtitle, h2").first).to_contain_text(shown)
    a11y(page)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/admin/helpdesk/user/{anna_with_mobilkod.guid}/")
    expect(page.locator("#events-heading")).to_be_visible()
    expect(page.get_by_role("cell", name="Identitetstjänst registrerad")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    a11y(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("link", name="Skicka en kod med Mobilkod").click()
    expect(page.get_by_role("button", name="Skicka kod")).to_be_visible()
    a11y(page)
    save_enrollment(
        request=None,
        user_guid=anna_with_mobilkod.guid,
        username="anna",
        service="bankid",
        display="Anna Andersson",
        value_hash=hash_personal_number("199001012385"),
    )
    page.goto(f"/admin/helpdesk/user/{anna_with_mobilkod.guid}/verify/bankid/")
    expect(page.get_by_label("Personnummer som den som ringer uppger")).to_be_visible()
    a11y(page)
