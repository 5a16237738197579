"""Finding a user: by username, name, e-mail or the end of the phone number."""

from __future__ import annotations

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from helpdesk.search import search_users

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(demo_user, demo_directory):
    demo_directory.create_user(
        username="annika", password="x", display_name="Annika Berg", mail="annika.berg@demo.local"
    )
    demo_directory.create_user(
        username="bo", password="x", display_name="Bo Ek", mail="bo@demo.local"
    )
    return demo_user


def usernames(hits):
    return [h.username for h in hits]


def test_exact_username_finds_the_user_first(people):
    assert usernames(search_users("anna"))[0] == "anna"


def test_part_of_a_name_finds_every_match(people):
    assert usernames(search_users("ann")) == ["anna", "annika"]


def test_two_words_of_the_name_narrow_the_search(people):
    assert usernames(search_users("anna andersson")) == ["anna"]


def test_email_address_finds_the_user(people):
    assert usernames(search_users("annika.berg@demo.local")) == ["annika"]


def test_last_digits_of_the_masked_phone_find_the_user(people, anna_sms):
    assert usernames(search_users("**12")) == ["anna"]
    assert usernames(search_users("12")) == ["anna"]


def test_search_page_lists_hits_with_links_and_stars(helpdesk, people, anna_sms):
    response = helpdesk.get(reverse("admin:helpdesk_find"), {"q": "ann"})
    page = response.content.decode()
    assert response.status_code == 200
    assert reverse("admin:helpdesk_user", kwargs={"guid": people.guid}) in page
    assert "Annika Berg" in page
    assert "1 av 3 stjärnor" in page  # Mobilkod, of the default full row


def test_a_search_is_audited_with_a_typed_phone_number_masked(helpdesk, people):
    helpdesk.get(reverse("admin:helpdesk_find"), {"q": "0701234512"})
    event = AuditEvent.objects.get(action="helpdesk.search")
    assert event.actor == "helena"
    assert event.details["query"] == "********12"


def test_a_one_letter_search_asks_for_more(helpdesk, people):
    response = helpdesk.get(reverse("admin:helpdesk_find"), {"q": "a"})
    assert "Skriv minst två tecken." in response.content.decode()
