"""Reset, unlock and change password against the real Samba AD DC."""

from __future__ import annotations

import time

import pytest
from django.test import Client
from django.urls import reverse

from audit.models import AuditEvent
from identity.directory import AccountLocked, PasswordPolicy, PolicyViolation, WrongPassword
from identity.policy import check_password_policy
from tests.conftest import age_throttles

from .conftest import Walker, enrol_both, last_code, prove_url
from .test_start import normalised

pytestmark = [pytest.mark.samba, pytest.mark.django_db]

PASSWORD = "Samba-Forsta-1"
NEW = "Tre-Gröna-Äpplen-9"
TIMINGS: list[dict[str, float]] = []


@pytest.fixture
def ad_user(samba_dc, ad_directory):
    """A Samba user with Mobilkod and BankID enrolled; returns the directory's view of it."""

    def make(prefix: str = "rst", **kwargs):
        name = samba_dc.unique(prefix)
        samba_dc.create_user(name, kwargs.pop("password", PASSWORD), **kwargs)
        user = ad_directory.find_user(name)
        enrol_both(user)
        return user

    return make


def lock(ad_directory, username: str) -> None:
    """Lock the account the way AD does: bad binds up to the threshold (3 here)."""
    for _ in range(3):
        with pytest.raises(WrongPassword):
            ad_directory.authenticate(username, "Fel-Losen-99")
    with pytest.raises(AccountLocked):
        ad_directory.authenticate(username, PASSWORD)


def password_page(walker, flow_id):
    return walker.get(reverse("reset_password", kwargs={"flow_id": flow_id}))


def test_after_a_reset_the_new_password_binds_and_the_old_one_fails(walker, ad_directory, ad_user):
    user = ad_user()
    response = walker.set_password(walker.proved_flow(user.username), NEW)
    assert response.status_code == 302
    assert ad_directory.authenticate(user.username, NEW).guid == user.guid
    with pytest.raises(WrongPassword):
        ad_directory.authenticate(user.username, PASSWORD)


@pytest.mark.parametrize("history_iterations", [1000, 600_000])
def test_the_server_time_from_the_last_proof_to_the_password_in_ad_is_measured(
    walker, ad_directory, ad_user, settings, history_iterations
):
    """Not an assertion on speed: the numbers are printed in the summary, with
    the portal's password history hashing cheaply and at the production cost."""
    settings.RESET_HISTORY_ITERATIONS = history_iterations
    user = ad_user()
    flow_id = walker.start_flow(user.username)
    walker.prove_with_bankid(flow_id)  # the first star; Mobilkod is the last proof
    url = reverse("sms_verify", kwargs={"flow_id": flow_id})
    walker.post(url, {"send": "1"})
    started = time.perf_counter()
    walker.post(url, {"code": last_code()})
    proved = time.perf_counter()
    # Notices are queued after commit (to Celery in production): not run here.
    with walker.capture(execute=False):
        response = walker.client.post(
            reverse("reset_password", kwargs={"flow_id": flow_id}),
            {"new_password": NEW, "confirm_password": NEW},
        )
    written = time.perf_counter()
    assert response.status_code == 302
    assert ad_directory.authenticate(user.username, NEW).guid == user.guid
    TIMINGS.append(
        {"proof": proved - started, "write": written - proved, "iterations": history_iterations}
    )


def test_the_reset_is_audited_with_the_ad_account(walker, ad_user):
    user = ad_user()
    walker.set_password(walker.proved_flow(user.username), NEW)
    event = AuditEvent.objects.get(action="reset.password_set")
    assert (event.subject, event.subject_guid, event.details["services"]) == (
        user.username,
        user.guid,
        ["bankid", "sms"],
    )


def test_a_reset_to_a_password_the_portal_set_before_is_refused_by_history(walker, client, ad_user):
    user = ad_user()
    walker.set_password(walker.proved_flow(user.username), NEW)
    age_throttles(61)  # past the SMS resend cooldown, which now spans flows
    walker.set_password(walker.proved_flow(user.username), "Annat-Gott-Lösen-3")
    age_throttles(61)
    response = walker.set_password(walker.proved_flow(user.username), NEW)
    assert response.status_code == 400
    assert "Du har använt det här lösenordet tidigare." in response.content.decode()


def test_ads_own_complexity_refusal_is_shown(walker, samba_dc, ad_user, ad_directory):
    """The domain policy tightened after the form was shown (the backend keeps
    the policy it read for a while): AD refuses, and says why."""
    user = ad_user()
    flow_id = walker.proved_flow(user.username)
    with samba_dc.policy(complexity=False):
        password_page(walker, flow_id)  # the portal reads (and caches) the policy
    response = walker.set_password(flow_id, "kaffebulle-kaka-och-te")
    assert response.status_code == 400
    assert "Lösenordet uppfyller inte kraven på komplexitet." in response.content.decode()
    assert ad_directory.authenticate(user.username, PASSWORD)


def test_after_ads_refusal_the_user_tries_again_without_a_new_proof(walker, samba_dc, ad_user):
    user = ad_user()
    flow_id = walker.proved_flow(user.username)
    with samba_dc.policy(complexity=False):
        password_page(walker, flow_id)
    walker.set_password(flow_id, "kaffebulle-kaka-och-te")
    assert walker.set_password(flow_id, NEW).status_code == 302


def test_ads_history_refusal_on_an_own_change_is_shown(
    client, django_capture_on_commit_callbacks, ad_user
):
    user = ad_user()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("change_password"),
            {
                "username": user.username,
                "old_password": PASSWORD,
                "new_password": PASSWORD,
                "confirm_password": PASSWORD,
            },
        )
    assert "Du har använt det här lösenordet tidigare." in response.content.decode()
    event = AuditEvent.objects.get(action="password.changed")
    assert event.details["reason"] == "policy_violation:history"


def test_a_locked_account_is_unlocked_and_keeps_its_password(walker, ad_directory, ad_user):
    user = ad_user()
    lock(ad_directory, user.username)
    response = walker.unlock(walker.proved_flow(user.username, "unlock"))
    assert response.status_code == 302
    assert ad_directory.authenticate(user.username, PASSWORD).guid == user.guid


def test_a_reset_unlocks_a_locked_account(walker, ad_directory, ad_user):
    user = ad_user()
    lock(ad_directory, user.username)
    walker.set_password(walker.proved_flow(user.username), NEW)
    assert ad_directory.authenticate(user.username, NEW).guid == user.guid


def test_a_must_change_password_is_changed_from_the_login_page(
    client, django_capture_on_commit_callbacks, ad_directory, ad_user
):
    user = ad_user(must_change=True)
    login = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert 'id="change-password-link"' in login.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("change_password"),
            {
                "username": user.username,
                "old_password": PASSWORD,
                "new_password": NEW,
                "confirm_password": NEW,
            },
        )
    assert response.status_code == 302
    login = client.post(reverse("login"), {"username": user.username, "password": NEW})
    assert login.status_code == 302


def test_known_and_unknown_users_get_identical_pages(walker, client, ad_user):
    user = ad_user()
    known_name, unknown_name = f"{user.username}@test.local", "nobody0000@test.local"
    known = walker.get(walker.start(known_name)["Location"]).content.decode()
    client.cookies.clear()
    unknown = walker.get(walker.start(unknown_name)["Location"]).content.decode()
    assert normalised(known, known_name) == normalised(unknown, unknown_name)


def test_posting_the_password_before_the_proof_changes_nothing_in_ad(walker, ad_directory, ad_user):
    user = ad_user()
    flow_id = walker.start_flow(user.username)
    response = walker.set_password(flow_id, NEW)
    assert response.status_code == 302 and response["Location"] == prove_url(flow_id)
    assert ad_directory.authenticate(user.username, PASSWORD)


def test_another_session_cannot_use_the_proved_flow(walker, ad_directory, ad_user):
    user = ad_user()
    flow_id = walker.proved_flow(user.username)
    assert Walker(Client(), walker.capture).set_password(flow_id, NEW).status_code == 404
    assert ad_directory.authenticate(user.username, PASSWORD)


def test_a_dc_that_stops_between_proof_and_write_is_told_and_the_flow_survives(
    walker, samba_dc, ad_directory, ad_user
):
    user = ad_user()
    flow_id = walker.proved_flow(user.username)
    password_page(walker, flow_id)
    samba_dc.stop()
    try:
        response = walker.set_password(flow_id, NEW)
    finally:
        samba_dc.start()
    assert response.status_code == 503
    assert "Katalogtjänsten svarar inte just nu." in response.content.decode()
    assert walker.set_password(flow_id, NEW).status_code == 302
    assert ad_directory.authenticate(user.username, NEW).guid == user.guid


def pytest_terminal_summary_lines() -> list[str]:
    return [
        f"proof (code checked) {t['proof'] * 1000:.0f} ms, last proof to password written "
        f"in AD {t['write'] * 1000:.0f} ms (history PBKDF2 {t['iterations']:,} iterations)"
        for t in TIMINGS
    ]


@pytest.mark.parametrize("password", ["Ab1-xy😀", "Ab1-x😀"])
def test_the_portal_counts_length_like_ad_with_characters_outside_the_bmp(
    samba_dc, ad_directory, password
):
    """AD counts UTF-16 code units (an emoji is two), and so does the portal."""
    name = samba_dc.unique("bmp")
    samba_dc.create_user(name, PASSWORD)
    user = ad_directory.find_user(name)
    with samba_dc.policy(min_pwd_length=8):
        policy = PasswordPolicy(min_length=8, complexity=True)
        portal_says_short = any(
            f.code == "too_short" for f in check_password_policy(password, user=user, policy=policy)
        )
        try:
            ad_directory.set_password(user, password)
            ad_says_short = False
        except PolicyViolation as refused:
            ad_says_short = refused.reason == "too_short"
    assert portal_says_short == ad_says_short


def test_a_password_with_an_emoji_is_reset_and_binds(walker, ad_directory, ad_user):
    user = ad_user()
    password = "Kaffe-😀-Bulle-7"
    assert walker.set_password(walker.proved_flow(user.username), password).status_code == 302
    assert ad_directory.authenticate(user.username, password).guid == user.guid
