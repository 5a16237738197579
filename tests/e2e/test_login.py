from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def log_in(page, a11y, username: str, password: str) -> None:
    page.goto("/login/")
    a11y(page)
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(password)
    page.get_by_role("button", name="Logga in").click()


def test_user_logs_in_with_directory_password_and_sees_home(page, a11y, demo_user):
    log_in(page, a11y, "anna", "Gammal-Hemlis-42")
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Självserviceportalen")
    expect(page.get_by_role("link", name="Nytt lösenord")).to_be_visible()
    expect(page.get_by_role("link", name="Registrera")).to_be_visible()
    expect(page.get_by_text("Välkommen, Anna Andersson.")).to_be_visible()
    a11y(page)


def test_wrong_password_is_told_on_the_login_page(page, a11y, demo_user):
    log_in(page, a11y, "anna", "inte-rätt")
    expect(page.get_by_role("alert")).to_contain_text("Fel användarnamn eller lösenord.")
    a11y(page)
