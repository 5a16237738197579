"""Back after every final step (issue #14): unlock, change password, and the
last step of enrolling Mobilkod and Mobilt BankID. Each final step is
POST/redirect/GET, so Back never shows the browser's "Confirm Form
Resubmission" page, lands on a page with a way forward, and writes nothing a
second time (the audit trail and the directory say so)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from audit.models import AuditEvent
from enrollment.models import Enrollment
from identity.directory import get_directory
from services.sms.gateways import outbox
from tests.reset.conftest import NEW_PASSWORD, OLD_PASSWORD, enrol_sms, lock_demo_account

from .test_bankid_enrollment import approve_on_phone, bankid, simulator  # noqa: F401
from .test_login import log_in
from .test_reset import prove_with_sms, start

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(autouse=True)
def _phone(settings):
    settings.SMS_BACKEND = "services.sms.gateways.LocmemBackend"
    # One Mobilkod is enough here: these tests are about Back, not thresholds.
    settings.RESET_STARS_REQUIRED = 1
    outbox.clear()
    yield
    outbox.clear()


def back_is_safe(page, a11y, *, on_the_way_back=None) -> None:
    """Back, then Forward again to the final page: each lands on a real page
    of the portal with a heading and a way forward. A page that was the answer
    to a POST makes Chromium fail the navigation with ERR_CACHE_MISS (the
    "Confirm Form Resubmission" page), and Playwright raises on it."""
    page.go_back()
    assert not page.url.startswith("chrome-error:")
    expect(page.locator("main h1")).to_be_visible()
    expect(page.locator("main a, main button").first).to_be_visible()
    a11y(page)
    if on_the_way_back:
        on_the_way_back()
    page.go_forward()
    expect(page.locator("main h1")).to_be_visible()
    expect(page.locator("main a, main button").first).to_be_visible()
    a11y(page)


def events(action: str) -> int:
    return AuditEvent.objects.filter(action=action).count()


@pytest.mark.parametrize(
    ("viewport", "prefix", "unlock", "done"),
    [
        (PHONE, "", "Lås upp kontot", "Ditt konto är upplåst."),
        (DESKTOP, "/en", "Unlock the account", "Your account is unlocked."),
    ],
    ids=["sv-390", "en-1280"],
)
def test_back_after_unlocking(page, a11y, demo_user, viewport, prefix, unlock, done):
    page.set_viewport_size(viewport)
    enrol_sms(demo_user)
    lock_demo_account(demo_user)
    start(page, a11y, prefix=prefix, purpose="unlock")
    prove_with_sms(page, a11y, prefix=prefix, purpose="unlock")
    page.get_by_role("button", name=unlock).click()
    expect(page.get_by_text(done)).to_be_visible()
    a11y(page)
    assert events("reset.unlocked") == 1

    back_is_safe(page, a11y)
    assert events("reset.unlocked") == 1
    assert get_directory().authenticate("anna", OLD_PASSWORD).guid == demo_user.guid


@pytest.mark.parametrize(
    ("viewport", "prefix", "save", "done"),
    [
        (PHONE, "", "Byt lösenord", "Ditt lösenord är bytt."),
        (DESKTOP, "/en", "Change password", "Your password has been changed."),
    ],
    ids=["sv-390", "en-1280"],
)
def test_back_after_changing_the_password(page, a11y, demo_user, viewport, prefix, save, done):
    page.set_viewport_size(viewport)
    log_in(page, a11y, "anna", OLD_PASSWORD)
    a11y(page)
    page.goto(f"{prefix}/change-password/")
    a11y(page)
    page.locator("#id_old_password").fill(OLD_PASSWORD)
    page.locator("#id_new_password").fill(NEW_PASSWORD)
    page.locator("#id_confirm_password").fill(NEW_PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_text(done)).to_be_visible()
    a11y(page)
    assert events("password.changed") == 1

    # Back shows the form afresh: nothing typed is kept, nothing is sent again.
    back_is_safe(
        page,
        a11y,
        on_the_way_back=lambda: expect(page.locator("#id_new_password")).to_have_value(""),
    )
    assert events("password.changed") == 1
    assert get_directory().authenticate("anna", NEW_PASSWORD).guid == demo_user.guid


def test_back_after_confirming_mobilkod(page, a11y, demo_user):
    log_in(page, a11y, "anna", OLD_PASSWORD)
    a11y(page)
    page.goto("/sms/")
    a11y(page)
    page.locator("#id_number").fill("+46 70 765 43 21")
    page.locator("#sms-enroll-form button[type=submit]").click()
    expect(page.locator("#id_code")).to_be_visible()
    a11y(page)
    code = re.search(r"\b(\d{6})\b", outbox[-1].text).group(1)
    page.locator("#id_code").fill(code)
    page.locator("#sms-code-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/$"))
    a11y(page)
    assert events("sms.enrolled") == 1

    back_is_safe(page, a11y)
    assert events("sms.enrolled") == 1
    assert Enrollment.objects.filter(user_guid=demo_user.guid, service="sms").count() == 1


@pytest.mark.worker
def test_back_after_enrolling_bankid(page, a11y, demo_user, bankid):  # noqa: F811
    log_in(page, a11y, "anna", OLD_PASSWORD)
    a11y(page)
    page.goto("/bankid/")
    a11y(page)
    page.get_by_label("Personnummer").fill("900101-2385")
    page.get_by_role("button", name="Logga in med Mobilt BankID").click()
    expect(page.locator("#bankid-qr svg")).to_be_visible()
    a11y(page)
    approve_on_phone(page.context, bankid.phone_url, a11y)
    expect(
        page.get_by_text("Du har nu registrerat ditt BankID för återställning av lösenord")
    ).to_be_visible(timeout=30_000)
    a11y(page)
    enrolled = events("enrollment.created")

    back_is_safe(page, a11y)
    assert events("enrollment.created") == enrolled
    assert Enrollment.objects.filter(user_guid=demo_user.guid, service="bankid").count() == 1
