"""An account whose policy forbids self-service must not be told apart, by
an anonymous visitor, from an unknown name or an account without
enrolments: the same pages, and the same questions to the directory in the
same order (no timed assertions: the work done is compared instead)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from devtools.demo_directory import DemoDirectoryBackend
from enrollment.models import ResetPolicy
from services.sms.gateways import outbox

from .conftest import enrol_both, flow_id_of, prove_url

pytestmark = pytest.mark.django_db

ADMINS_DN = "CN=Domain Admins,CN=Users,DC=demo,DC=local"


@pytest.fixture
def calls(monkeypatch):
    seen: list[str] = []
    for name in ("find_user", "get_user", "nested_group_dns", "nested_member_guids"):
        original = getattr(DemoDirectoryBackend, name)

        def spy(self, *args, _original=original, _name=name, **kwargs):
            seen.append(_name)
            return _original(self, *args, **kwargs)

        monkeypatch.setattr(DemoDirectoryBackend, name, spy)
    return seen


@pytest.fixture
def accounts(demo_directory):
    ResetPolicy.objects.create(name="Domain Admins", group_dn=ADMINS_DN, reset_allowed=False)
    admin = demo_directory.create_user(
        username="dadmin", password="x", groups=["Domain Admins"], mobile="+46701234599"
    )
    enrol_both(admin)
    plain = demo_directory.create_user(username="plain", password="x")
    return admin, plain


def walk(walker, username: str, calls: list[str]) -> tuple[list[str], str, int]:
    """Start, the proof page, Mobilkod's page, send a code, type one."""
    calls.clear()
    flow_id = flow_id_of(walker.start(username)["Location"])
    page = walker.get(prove_url(flow_id)).content.decode()
    sms = reverse("sms_verify", kwargs={"flow_id": flow_id})
    walker.get(sms)
    walker.post(sms, {"send": "1"})
    typed = walker.post(sms, {"code": "123456"})
    page = page.replace(flow_id, "FLOW").replace(username, "NAME")
    return (
        list(calls),
        "\n".join(line for line in page.splitlines() if "csrf" not in line),
        typed.status_code,
    )


def test_an_account_without_self_service_walks_the_path_of_an_unknown_name(walker, accounts, calls):
    admin, plain = accounts
    as_admin = walk(walker, "dadmin", calls)
    as_unknown = walk(walker, "nosuchname", calls)
    as_plain = walk(walker, "plain", calls)
    assert "nested_group_dns" in as_admin[0] and "find_user" in as_admin[0]
    assert as_admin == as_unknown
    # The directory is asked the same questions as for an account without enrolments.
    assert as_admin[0] == as_plain[0]
    assert as_admin[1] == as_plain[1]
    assert not outbox  # nothing was sent to the admin's enrolled phone
