"""E-postkod in the helpdesk, in the browser: the user's page shows the private
address masked, and the caller check (a code to the private address, read
back on the phone) confirms the caller; axe on every page."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.e2e.test_helpdesk import helena, log_in_to_the_admin  # noqa: F401
from tests.services.mailcode.helpers import PRIVATE, enrol_mail, last_code

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_helpdesk_checks_a_caller_with_e_postkod(page, a11y, helena, demo_user):  # noqa: F811
    enrol_mail(demo_user)
    mail.outbox = []
    log_in_to_the_admin(page, a11y)
    page.goto(f"/admin/helpdesk/user/{demo_user.guid}/")
    expect(page.get_by_text("a•••@e•••.org").first).to_be_visible()
    assert PRIVATE not in page.content()
    a11y(page)

    page.get_by_role("link", name="Skicka en kod med e-post").click()
    expect(page.get_by_text("privata e-postadress (a•••@e•••.org)")).to_be_visible()
    a11y(page)
    page.get_by_role("button", name="Skicka kod").click()
    expect(page.get_by_label("Koden som den som ringer läser upp")).to_be_visible()
    assert mail.outbox[-1].to == [PRIVATE]
    a11y(page)
    page.get_by_label("Koden som den som ringer läser upp").fill("12")
    page.get_by_role("button", name="Kontrollera koden").click()
    expect(page.locator("#code-errors")).to_contain_text("Koden ska vara 6 siffror.")
    a11y(page)
    page.get_by_label("Koden som den som ringer läser upp").fill(last_code())
    page.get_by_role("button", name="Kontrollera koden").click()
    expect(page).to_have_url(re.compile(rf"/admin/helpdesk/user/{demo_user.guid}/$"))
    expect(page.get_by_role("status").first).to_contain_text(
        "Den som ringer bekräftades med E-postkod"
    )
    a11y(page)
