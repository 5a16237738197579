"""The "Det var inte jag" page in a browser, in Swedish and English, with axe."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from identity import holds

pytestmark = pytest.mark.django_db(transaction=True)


def _link(user) -> str:
    url = holds.notice_link_url(user_guid=user.guid, username=user.username, kind="password.reset")
    return url[url.index("/inte-jag/") :]


def test_the_owner_confirms_it_was_not_them_in_swedish(page, a11y, demo_user, settings):
    settings.BRAND_SUPPORT_PHONE = "08-123 45 67"
    page.goto(_link(demo_user))
    expect(page.get_by_role("heading", level=1)).to_have_text("Det var inte jag")
    expect(page.get_by_text("Ditt lösenord återställdes")).to_be_visible()
    a11y(page)
    page.get_by_role("button", name="Bekräfta: det var inte jag").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tack, kontot är spärrat")
    done = page.get_by_role("region", name="Tack, kontot är spärrat")
    expect(done.get_by_role("link", name="08-123 45 67")).to_be_visible()
    a11y(page)
    assert holds.is_on_hold(demo_user.guid)


@pytest.mark.parametrize("browser_language", ["en-GB"])
def test_the_page_and_a_reused_link_in_english(page, a11y, demo_user, browser_language):
    link = "/en" + _link(demo_user)
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("It wasn't me")
    a11y(page)
    page.get_by_role("button", name="Confirm: it wasn't me").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you, the account is blocked")
    a11y(page)
    page.goto(link)
    expect(page.get_by_role("alert")).to_contain_text("already been used")
    a11y(page)


def test_a_held_owner_is_told_on_the_enrol_page(page, a11y, demo_user):
    from identity.models import AccountHold

    AccountHold.objects.create(user_guid=demo_user.guid, username="anna")
    page.goto("/login/?next=/sms/")
    a11y(page)
    page.get_by_label("Användarnamn").fill("anna")
    page.get_by_label("Lösenord").fill("Gammal-Hemlis-42")
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kontot är spärrat för ändringar")
    a11y(page)


def test_the_helpdesk_sees_the_hold_and_clears_it(page, a11y, demo_user, demo_directory):
    from identity.models import AccountHold

    from .test_helpdesk import log_in_to_the_admin

    demo_directory.create_user(
        username="helena", password="Helpdesk-Hemlis-42", groups=["Helpdesk"], mail="h@demo.local"
    )
    AccountHold.objects.create(user_guid=demo_user.guid, username="anna")
    log_in_to_the_admin(page, a11y)
    page.goto(f"/admin/helpdesk/user/{demo_user.guid}/")
    expect(page.get_by_text("Spärrat: ”Det var inte jag”")).to_be_visible()
    a11y(page)
    page.get_by_role("button", name="Ta bort spärren (efter samtal med personen)").click()
    expect(page.get_by_text("Spärren är borttagen.")).to_be_visible()
    a11y(page)
    assert not holds.is_on_hold(demo_user.guid)
