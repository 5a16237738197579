"""Per-group policies in the browser: the owner of an account without
self-service is told on the home page; the anonymous reset flow of that
account looks like any other's."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from enrollment.models import ResetPolicy
from tests.reset.conftest import enrol_both

from .test_login import log_in

pytestmark = pytest.mark.django_db(transaction=True)

ADMINS_DN = "CN=Domain Admins,CN=Users,DC=demo,DC=local"


@pytest.fixture
def admin_account(demo_directory):
    ResetPolicy.objects.create(name="Domain Admins", group_dn=ADMINS_DN, reset_allowed=False)
    user = demo_directory.create_user(
        username="dadmin",
        password="Gammal-Hemlis-42",
        display_name="Domän Admin",
        mail="dadmin@demo.local",
        groups=["Domain Admins"],
    )
    return enrol_both(user)


def test_the_owner_of_an_account_without_self_service_is_told_on_the_home_page(
    page, a11y, admin_account
):
    log_in(page, a11y, "dadmin", "Gammal-Hemlis-42")
    expect(page.locator("#policy-no-reset")).to_contain_text("Kontakta IT-supporten")
    expect(page.locator("#policy-in-effect")).to_contain_text("Policyn ”Domain Admins”")
    a11y(page)


def test_the_reset_flow_of_such_an_account_looks_like_any_other(page, a11y, admin_account):
    page.goto("/reset/")
    a11y(page)
    page.get_by_label("Användarnamn").fill("dadmin")
    page.get_by_role("button", name="Fortsätt").click()
    expect(page).to_have_url(re.compile(r"/reset/[\w-]+/$"))
    expect(page.get_by_role("img", name="0 av 2 stjärnor")).to_be_visible()
    expect(page.get_by_role("link", name="Identifiera dig med Mobilkod")).to_be_visible()
    expect(page.get_by_role("link", name="Identifiera dig med Mobilt BankID")).to_be_visible()
    a11y(page)
