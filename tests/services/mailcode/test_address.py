"""Private addresses: read forgivingly, refused at the organisation's own
domains, masked on every page."""

from __future__ import annotations

import pytest

from services.mailcode.address import (
    AddressError,
    check_not_own_domain,
    decoy_mask,
    mask,
    normalize_address,
    own_domains,
)


def test_an_address_is_trimmed_and_its_domain_lower_cased():
    assert normalize_address("  Anna.Privat@Example.ORG ") == "Anna.Privat@example.org"
    assert normalize_address("mailto:anna@example.org") == "anna@example.org"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "address_empty"),
        ("   ", "address_empty"),
        ("anna", "address_invalid"),
        ("anna@", "address_invalid"),
        ("@example.org", "address_invalid"),
        ("anna@@example.org", "address_invalid"),
        ("anna @example.org", "address_invalid"),
        ("anna@localhost", "address_invalid"),
        ("anna@example", "address_invalid"),
        ("a" * 250 + "@example.org", "address_too_long"),
    ],
)
def test_malformed_addresses_are_refused_with_their_reason(text, code):
    with pytest.raises(AddressError) as err:
        normalize_address(text)
    assert err.value.code == code
    assert err.value.message  # a sentence for the user, not a code


@pytest.mark.django_db
def test_the_organisations_own_domains_and_their_subdomains_are_refused(demo_user, settings):
    settings.MAILCODE_BLOCKED_DOMAINS = "gamla-namnet.se"
    domains = own_domains(demo_user)
    assert "demo.local" in domains and "gamla-namnet.se" in domains
    for address in ("anna@demo.local", "anna@mail.demo.local", "x@GAMLA-namnet.se".lower()):
        with pytest.raises(AddressError) as err:
            check_not_own_domain(address, user=demo_user)
        assert err.value.code == "address_own_domain"
    check_not_own_domain("anna@notdemo.local", user=demo_user)  # only the domain itself
    check_not_own_domain("anna@gmail.com", user=demo_user)


@pytest.mark.django_db
def test_the_domain_of_the_users_ad_mail_is_refused_even_when_it_is_no_upn_suffix(
    demo_directory,
):
    user = demo_directory.create_user(
        username="bo", password="Gammal-Hemlis-42", upn="bo@demo.local", mail="bo@firman.se"
    )
    with pytest.raises(AddressError) as err:
        check_not_own_domain("bo.privat@firman.se", user=user)
    assert "firman.se" in err.value.message


def test_the_masked_address_shows_a_first_letter_and_the_top_level_domain():
    assert mask("anna.svensson@gmail.com") == "a•••@g•••.com"
    assert mask("x@mail.example.co.uk") == "x•••@m•••.uk"


@pytest.mark.django_db
def test_a_decoy_mask_is_the_same_for_every_spelling_of_a_name(demo_directory):
    assert decoy_mask("Nobody") == decoy_mask("DEMO\\nobody") == decoy_mask("nobody@demo.local")
    assert "•••@" in decoy_mask("nobody")
