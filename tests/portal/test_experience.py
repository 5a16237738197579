"""Ways forward: the language switch, the portal's own error pages in the
user's language, links from the login errors, the brand from settings."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import Client
from django.urls import reverse

from devtools.models import DemoDirectoryUser
from portal.branding import check_brand, contrast_ratio
from portal.languages import url_in_language

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("path", "language", "expected"),
    [
        ("/en/login/", "sv", "/login/"),
        ("/en/", "sv", "/"),
        ("/en", "sv", "/"),
        ("/login/?next=/en/x", "en", "/en/login/?next=/en/x"),
        ("/reset/abc/", "en", "/en/reset/abc/"),
        ("/en/reset/", "en", "/en/reset/"),
        ("/entry/", "en", "/en/entry/"),  # not a language prefix
    ],
)
def test_the_address_of_a_page_in_another_language(path, language, expected):
    assert url_in_language(path, language) == expected


def test_svenska_on_an_english_page_goes_back_to_the_swedish_page():
    # A Swedish browser that opened an English link: Django's own translation
    # of ``next`` kept /en/ (the bug). The form now sends the Swedish address.
    browser = Client(HTTP_ACCEPT_LANGUAGE="sv")
    page = browser.get("/en/login/?next=/en/reset/").content.decode()
    assert '<input name="next" type="hidden" value="/login/?next=/en/reset/">' in page
    response = browser.post(
        reverse("set_language"), {"language": "sv", "next": "/login/?next=/en/reset/"}
    )
    assert response.status_code == 302 and response["Location"] == "/login/?next=/en/reset/"
    assert "Logga in med ditt lösenord" in browser.get(response["Location"]).content.decode()


def test_english_on_a_swedish_page_goes_to_the_english_page():
    browser = Client()
    page = browser.get("/reset/").content.decode()
    assert '<input name="next" type="hidden" value="/en/reset/">' in page
    response = browser.post(reverse("set_language"), {"language": "en", "next": "/en/reset/"})
    assert response["Location"] == "/en/reset/"
    assert "New password" in browser.get("/en/reset/").content.decode()


@pytest.mark.parametrize(
    ("path", "texts"),
    [
        ("/finns-inte/", ["Sidan finns inte", "Nytt lösenord", 'lang="sv"', "English"]),
        ("/en/no-such-page/", ["Page not found", "New password", 'lang="en"', "Svenska"]),
    ],
)
def test_a_missing_page_is_the_portals_own_in_the_users_language(client, path, texts, settings):
    settings.BRAND_SUPPORT_PHONE = "08-123 45 67"
    response = client.get(path)
    assert response.status_code == 404
    page = response.content.decode()
    for text in texts:
        assert text in page
    assert '<a href="tel:081234567">08-123 45 67</a>' in page
    assert "Not Found" not in page


def test_an_expired_form_gets_a_page_that_says_so_and_nothing_is_lost(demo_user):
    browser = Client(enforce_csrf_checks=True)
    response = browser.post("/en/login/", {"username": "anna", "password": "Gammal-Hemlis-42"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "The page had expired" in page and "Nothing was saved" in page
    assert "403 Forbidden" not in page and "CSRF" not in page


@pytest.mark.urls("tests.portal.boom_urls")
def test_a_bug_gives_the_portals_500_page_with_ways_forward(settings):
    settings.BRAND_SUPPORT_EMAIL = "it@example.se"
    browser = Client(raise_request_exception=False)
    response = browser.get("/boom/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Något gick fel" in page and "Ingenting har ändrats" in page
    assert 'href="mailto:it@example.se"' in page
    assert f'href="{reverse("reset_start")}"' in page


def test_a_wrong_password_on_the_login_page_links_to_a_new_password(client, demo_user):
    response = client.post(reverse("login"), {"username": "anna", "password": "fel"})
    page = response.content.decode()
    assert "Fel användarnamn eller lösenord." in page
    assert f'<a href="{reverse("reset_start")}" id="forgot-link-error">' in page


def test_a_locked_account_on_the_login_page_links_to_unlock(client, demo_user):
    from django.utils import timezone

    DemoDirectoryUser.objects.filter(guid=demo_user.guid).update(locked_at=timezone.now())
    response = client.post(reverse("login"), {"username": "anna", "password": "Gammal-Hemlis-42"})
    page = response.content.decode()
    assert 'data-error="wrong_password"' in page  # "locked" would tell the account exists
    assert f'<a href="{reverse("unlock_start")}" id="unlock-link">Lås upp kontot</a>' in page


def test_the_login_card_offers_forgot_password(client):
    page = client.get(reverse("login")).content.decode()
    assert f'<a href="{reverse("reset_start")}" id="forgot-link">Glömt lösenordet?</a>' in page


# --- Branding -------------------------------------------------------------------------


def test_contrast_ratio_follows_wcag():
    assert round(contrast_ratio("#000000", "#ffffff"), 1) == 21.0
    assert round(contrast_ratio("#777777", "#ffffff"), 2) == 4.48


def test_a_colour_without_aa_contrast_is_refused_by_the_system_check(settings):
    settings.BRAND_PRIMARY_COLOUR = "#ffcc00"
    problems = check_brand()
    assert {p.id for p in problems} == {"portal.E012"}
    with pytest.raises(SystemCheckError, match="portal.E012"):
        call_command("check")


def test_a_dark_enough_colour_passes(settings):
    settings.BRAND_PRIMARY_COLOUR = "#6b1d5c"
    assert check_brand() == []


def test_a_logo_file_that_is_not_an_image_type_is_refused(settings, tmp_path):
    settings.BRAND_LOGO_FILE = str(tmp_path / "logo.exe")
    assert [p.id for p in check_brand()] == ["portal.E013"]


def test_the_brand_shows_on_every_page(client, settings, tmp_path):
    logo = tmp_path / "logo.svg"
    logo.write_text('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"></svg>')
    settings.BRAND_ORGANISATION = "Exempelkommunen"
    settings.BRAND_LOGO_FILE = str(logo)
    settings.BRAND_PRIMARY_COLOUR = "#6B1D5C"
    for path in ("/login/", "/reset/", "/en/unlock/", "/no-such-page/"):
        page = client.get(path).content.decode()
        assert '<img class="brand-logo" src="/brand/logo" alt="Exempelkommunen">' in page, path
        assert "Exempelkommunen · Självserviceportalen" in page, path
        assert '<link rel="stylesheet" href="/brand.css">' in page, path
    assert "--brand: #6b1d5c;" in client.get("/brand.css").content.decode()
    served = client.get("/brand/logo")
    assert served["Content-Type"] == "image/svg+xml"
    assert b"".join(served.streaming_content).startswith(b"<svg")


def test_without_a_logo_file_there_is_no_logo(client):
    assert client.get("/brand/logo").status_code == 404
    assert "brand-logo" not in client.get("/login/").content.decode()


def test_a_request_the_portal_cannot_accept_gets_its_own_400_page():
    response = Client(HTTP_HOST="evil.example").get("/login/")  # not in ALLOWED_HOSTS
    assert response.status_code == 400
    page = response.content.decode()
    assert "Det gick inte att läsa det du skickade" in page
    assert "Bad Request" not in page
