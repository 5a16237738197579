"""The portal's password policy (identity.policy): domain rules plus local ones."""

from __future__ import annotations

import hashlib
import json

import pytest

from identity.directory import DirectoryUser, PasswordPolicy
from identity.policy import (
    BuiltinBreachList,
    OfflineBreachList,
    check_password_policy,
    describe_password_policy,
    utf16_length,
)

POLICY = PasswordPolicy(min_length=8, complexity=True)
ANNA = DirectoryUser(guid="g", dn="CN=Anna", username="anna", display_name="Anna Andersson")
GOOD = "Tre-Gröna-Äpplen-9"


def codes(password, *, user=ANNA, policy=POLICY):
    return [f.code for f in check_password_policy(password, user=user, policy=policy)]


def test_a_long_unrelated_password_passes():
    assert codes(GOOD) == []


def test_shorter_than_the_domain_minimum_is_refused():
    assert "too_short" in codes("Ab1-x")


def test_fewer_than_three_character_kinds_is_refused():
    assert "complexity" in codes("onlylowercaseletters")


def test_the_account_name_inside_the_password_is_refused():
    assert "contains_name" in codes("Xyz-ANNA-Kaffe-77")


def test_a_part_of_the_display_name_inside_the_password_is_refused():
    assert "contains_name" in codes("Kaffe-Andersson-77")


def test_a_forbidden_word_is_refused_whatever_its_case(settings):
    settings.PASSWORD_FORBIDDEN_WORDS = ["Acme"]
    assert "forbidden_word" in codes("Blå-aCMe-Kaffe-77")


def test_a_common_leaked_password_is_refused_by_the_builtin_list():
    assert "breached" in codes("Trustno1", user=None)


def test_the_builtin_list_ignores_case():
    assert BuiltinBreachList().is_breached("DRAGON")


def test_offline_list_matches_sha1_hashes_in_hibp_format(tmp_path, settings):
    secret = "Hemligt-Fika-2031"
    digest = hashlib.sha1(secret.encode()).hexdigest().upper()
    path = tmp_path / "pwned.txt"
    path.write_text(f"0000000000000000000000000000000000000000:3\n{digest}:12\n")
    settings.PASSWORD_BREACH_BACKEND = "identity.policy.OfflineBreachList"
    settings.PASSWORD_BREACH_LIST_FILE = str(path)
    assert "breached" in codes(secret)


def test_offline_list_matches_plain_passwords(tmp_path):
    path = tmp_path / "plain.txt"
    path.write_text("Hemligt-Fika-2031\n")
    assert OfflineBreachList(str(path)).is_breached("hemligt-fika-2031")


def test_offline_list_does_not_match_other_passwords(tmp_path):
    path = tmp_path / "plain.txt"
    path.write_text("Hemligt-Fika-2031\n")
    assert not OfflineBreachList(str(path)).is_breached(GOOD)


def test_an_easily_guessed_password_is_refused_by_zxcvbn(settings):
    settings.PASSWORD_BREACH_BACKEND = ""
    assert codes("Abcdefg1!", user=None) == ["too_weak"]


def test_the_zxcvbn_check_can_be_turned_off(settings):
    settings.PASSWORD_BREACH_BACKEND = ""
    settings.PASSWORD_MIN_ZXCVBN_SCORE = 0
    assert codes("Abcdefg1!", user=None) == []


def test_a_password_over_the_maximum_gets_only_the_too_long_failure():
    assert codes("Ab1-" * 2560) == ["too_long"]


def test_a_character_outside_the_bmp_counts_as_two_like_ad():
    assert utf16_length("Ab1-xy😀") == 8


def test_six_characters_and_an_emoji_reach_a_minimum_of_eight():
    assert "too_short" not in codes("Ab1-xy😀")


def test_the_maximum_is_counted_in_utf16_units(settings):
    settings.PASSWORD_MAX_LENGTH = 20
    assert codes("Kaffe-Bulle-7" + "😀" * 4) == ["too_long"]


def test_control_characters_are_refused():
    assert "invalid_characters" in codes("Tre-Gröna\x00-Äpplen-9")


def test_surrounding_spaces_only_warn_and_do_not_block():
    failures = check_password_policy(f" {GOOD} ", user=ANNA, policy=POLICY)
    assert [(f.code, f.blocking) for f in failures] == [("surrounding_space", False)]


def test_every_failure_has_a_swedish_message():
    failures = check_password_policy("anna", user=ANNA, policy=POLICY)
    assert failures and all(f.message and " " in f.message for f in failures)


@pytest.mark.parametrize("complexity", [True, False])
def test_the_browser_description_is_json_with_the_domain_rules(complexity):
    policy = PasswordPolicy(min_length=11, complexity=complexity)
    data = json.loads(json.dumps(describe_password_policy(user=ANNA, policy=policy)))
    assert data["min_length"] == 11 and data["complexity"] is complexity
    assert ("complexity" in [r["code"] for r in data["rules"]]) is complexity


def test_the_browser_description_names_the_account_parts_to_avoid():
    data = describe_password_policy(user=ANNA, policy=POLICY)
    assert data["name_parts"] == ["anna", "andersson"]


def test_server_only_rules_are_marked_not_live():
    rules = describe_password_policy(user=ANNA, policy=POLICY)["rules"]
    assert {r["code"] for r in rules if not r["live"]} == {"breached", "strength"}
