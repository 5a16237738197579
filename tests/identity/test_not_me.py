""" "Det var inte jag": the signed, single-use link in every notice, and the
account hold it sets (valid, reused, expired, tampered, another user's link)."""

from __future__ import annotations

import re
import time

import pytest
from django.core import mail, signing
from django.test import Client
from django.urls import reverse

from audit.models import AuditEvent
from identity import holds
from identity.models import AccountHold, NoticeLink

pytestmark = pytest.mark.django_db


def _path(url: str) -> str:
    return url[url.index("/inte-jag/") :]


@pytest.fixture
def link(demo_user):
    return _path(
        holds.notice_link_url(
            user_guid=demo_user.guid, username="anna", kind="password.reset", detail=""
        )
    )


@pytest.fixture
def other_user(demo_directory):
    return demo_directory.create_user(
        username="bertil", password="Gammal-Hemlis-43", mail="bertil@demo.local"
    )


def test_the_page_says_what_happened_and_asks_before_doing_anything(client, link, demo_user):
    page = client.get(link).content.decode()
    assert "Ditt lösenord återställdes" in page
    assert "Bekräfta: det var inte jag" in page
    # No more than the notice said: not even the account's name.
    assert not re.search(r"\banna\b", page, re.I) and "Andersson" not in page
    assert not holds.is_on_hold(demo_user.guid)
    assert NoticeLink.objects.get().used_at is None


def test_confirming_holds_the_account_ends_its_sessions_audits_and_mails_the_helpdesk(
    link, demo_user, settings, django_capture_on_commit_callbacks
):
    settings.HELPDESK_EMAIL = "helpdesk@demo.local"
    settings.BRAND_SUPPORT_PHONE = "08-123 45 67"
    owner = Client()
    owner.post(reverse("login"), {"username": "anna", "password": "Gammal-Hemlis-42"})
    assert owner.get(reverse("home")).status_code == 200
    visitor = Client()
    with django_capture_on_commit_callbacks(execute=True):
        page = visitor.post(link).content.decode()
    assert "Tack, kontot är spärrat" in page and "08-123 45 67" in page
    assert holds.is_on_hold(demo_user.guid)
    event = AuditEvent.objects.get(action="identity.not_me")
    assert event.subject_guid == demo_user.guid and event.details["sessions_ended"] is True
    (message,) = mail.outbox
    assert message.to == ["helpdesk@demo.local"] and "anna" in message.subject
    assert message.alternatives  # text and HTML
    # The owner's session (on another device) is over.
    assert owner.get(reverse("home"))["Location"].startswith(reverse("login"))


def test_a_used_link_cannot_be_used_again(client, link, demo_user):
    client.post(link)
    holds.clear_hold(request=None, user_guid=demo_user.guid)
    again = client.post(link)
    assert again.status_code == 410 and "redan använts" in again.content.decode()
    assert not holds.is_on_hold(demo_user.guid)
    assert client.get(link).status_code == 410
    assert AuditEvent.objects.filter(
        action="identity.not_me_refused", details__reason="used"
    ).exists()


def test_an_expired_link_is_refused(client, demo_user, monkeypatch):
    real = time.time
    monkeypatch.setattr(signing.time, "time", lambda: real() - 8 * 24 * 3600)
    url = holds.notice_link_url(user_guid=demo_user.guid, kind="password.changed")
    monkeypatch.setattr(signing.time, "time", real)
    response = client.post(_path(url))
    assert response.status_code == 410 and "har gått ut" in response.content.decode()
    assert not AccountHold.objects.exists()


def test_a_link_whose_row_has_expired_is_refused_even_with_a_fresh_signature(
    client, link, demo_user
):
    from datetime import timedelta

    from django.utils import timezone

    NoticeLink.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.post(link).status_code == 410
    assert not holds.is_on_hold(demo_user.guid)


def test_a_tampered_link_is_refused(client, link, demo_user):
    token = link.strip("/").split("/")[-1]
    flipped = token[:-3] + ("A" if token[-3] != "A" else "B") + token[-2:]
    response = client.post(reverse("not_me", kwargs={"token": flipped}))
    assert response.status_code == 404 and "inte giltig" in response.content.decode()
    assert not AccountHold.objects.exists()


def test_another_users_link_holds_only_that_user_and_cannot_be_turned_on_someone_else(
    client, link, demo_user, other_user
):
    # A link re-signed for another account (someone with the key, or a bug)
    # does not match its row: refused.
    row = NoticeLink.objects.get()
    forged = signing.dumps({"l": row.id.hex, "u": other_user.guid}, salt=holds.SALT, compress=True)
    assert client.post(reverse("not_me", kwargs={"token": forged})).status_code == 404
    # Bertil, logged in, opens Anna's link: it holds Anna's account, not his.
    client.post(reverse("login"), {"username": "bertil", "password": "Gammal-Hemlis-43"})
    client.post(link)
    assert holds.is_on_hold(demo_user.guid) and not holds.is_on_hold(other_user.guid)


def test_the_helpdesk_clears_the_hold_and_it_is_audited(demo_user):
    holds.confirm_not_me(
        request=None,
        token=_path(holds.notice_link_url(user_guid=demo_user.guid, kind="password.reset"))
        .strip("/")
        .split("/")[-1],
    )
    assert holds.clear_hold(request=None, user_guid=demo_user.guid)
    assert not holds.is_on_hold(demo_user.guid)
    assert AuditEvent.objects.filter(action="identity.hold_cleared").exists()
    assert not holds.clear_hold(request=None, user_guid=demo_user.guid)


def test_expired_links_are_pruned_but_a_holds_own_link_is_kept(demo_user):
    from datetime import timedelta

    from django.utils import timezone

    for kind in ("password.reset", "password.changed", "enrollment.created"):
        holds.notice_link_url(user_guid=demo_user.guid, kind=kind)
    held = NoticeLink.objects.get(kind="password.changed")
    AccountHold.objects.create(user_guid=demo_user.guid, link=held)
    later = timezone.now() + timedelta(days=8)
    assert holds.prune_notice_links(now=later) == 2
    assert list(NoticeLink.objects.values_list("kind", flat=True)) == ["password.changed"]
    assert holds.prune_notice_links() == 0
