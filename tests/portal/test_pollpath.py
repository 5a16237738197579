"""portal/pollpath.py answers the BankID token poll before Django's request
cycle: with the same status, body and headers as the Django view, the same
refusals (another session, a tampered, expired or another order's token), and
everything else left to Django."""

from __future__ import annotations

import io
import json
import re
import time

import pytest
from django.test import Client
from django.urls import reverse

from portal.pollpath import TokenPollShortcut
from services.bankid.models import BankIDOrder
from services.bankid.orders import qr_content
from services.bankid.poll import make_poll_token
from tests.services.bankid.conftest import PNR

pytestmark = pytest.mark.django_db

UA = "Mozilla/5.0 (X11; Linux x86_64)"
seen_by_django: list[str] = []


def _django(environ, start_response):
    """Stands in for Django's handler: records what was left to it."""
    seen_by_django.append(environ["PATH_INFO"])
    start_response("599 Left to Django", [])
    return [b""]


shortcut = counted = TokenPollShortcut(_django)


def _call(app, path: str, query: str = "", *, cookie: str = "", host: str = "testserver", **extra):
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "HTTP_HOST": host,
        "HTTP_COOKIE": cookie,
        "HTTP_USER_AGENT": UA,
        "wsgi.input": io.BytesIO(b""),
        "wsgi.url_scheme": "http",
        "wsgi.errors": io.StringIO(),
        **extra,
    }
    got = {}

    def start_response(status, headers, exc_info=None):
        got["status"], got["headers"] = status, headers

    body = b"".join(app(environ, start_response))
    return got["status"], dict(got["headers"]), body


@pytest.fixture
def polled(client, demo_user, bankid_settings, django_capture_on_commit_callbacks):
    response = client.post(reverse("login"), {"username": "anna", "password": "Gammal-Hemlis-42"})
    assert response.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("bankid_enroll"), {"personal_number": PNR})
    order = BankIDOrder.objects.get(pk=response["Location"].rstrip("/").split("/")[-1])
    page = client.get(response["Location"]).content.decode()
    token = re.search(r'data-poll-token="([^"]+)"', page).group(1)
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    return order, token, cookie


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_the_shortcut_answers_like_the_django_view(client, polled, prefix):
    order, token, cookie = polled
    path = f"{prefix}/bankid/order/{order.pk}/status"
    seen_by_django.clear()
    fast = _call(counted, path, f"mode=qr&t={token}", cookie=cookie)
    assert seen_by_django == []  # answered before Django
    slow = client.get(
        path, {"mode": "qr", "t": token}, HTTP_USER_AGENT="Mozilla/5.0 (X11; Linux x86_64)"
    )
    assert fast[0] == "200 OK" and slow.status_code == 200
    assert json.loads(fast[2]) == slow.json()
    assert json.loads(fast[2])["qr"] == qr_content(order)
    drop = {"Expires", "Date"}
    assert {k: v for k, v in fast[1].items() if k not in drop} == {
        k: v for k, v in slow.headers.items() if k not in drop
    }


def _refused(result) -> None:
    status, _headers, body = result
    assert status.startswith("403")
    assert json.loads(body) == {"error": "poll-token"}


def test_the_shortcut_refuses_what_the_view_refuses(polled, django_capture_on_commit_callbacks):
    order, token, cookie = polled
    path = f"/bankid/order/{order.pk}/status"
    other = Client()
    other.post(reverse("login"), {"username": "anna", "password": "Gammal-Hemlis-42"})
    other_cookie = f"sessionid={other.cookies['sessionid'].value}"
    _refused(_call(shortcut, path, f"t={token}", cookie=other_cookie))  # another session
    _refused(_call(shortcut, path, f"t={token}"))  # no session
    _refused(_call(shortcut, path, f"t={token[:-1]}A", cookie=cookie))  # tampered
    expired = make_poll_token(
        order_id=order.pk, session_key=order.session_key, now=time.time() - 3600
    )
    _refused(_call(shortcut, path, f"t={expired}", cookie=cookie))
    another = f"/bankid/order/{'0' * 8}-0000-4000-8000-{'0' * 12}/status"
    _refused(_call(shortcut, another, f"t={token}", cookie=cookie))  # another order


def test_everything_else_goes_to_django(polled, settings):
    order, token, cookie = polled
    path = f"/bankid/order/{order.pk}/status"
    seen_by_django.clear()
    _call(counted, path, "mode=qr", cookie=cookie)  # no token: the session's poll
    _call(counted, path, f"t={token}", cookie=cookie, host="evil.example")  # ALLOWED_HOSTS
    _call(counted, path, f"t={token}", cookie=cookie, REQUEST_METHOD="POST")
    _call(counted, f"/sv{path}", f"t={token}", cookie=cookie)  # no /sv/ prefix exists
    _call(counted, path.upper(), f"t={token}", cookie=cookie)
    settings.SECURE_SSL_REDIRECT = True
    _call(counted, path, f"t={token}", cookie=cookie)  # plain HTTP: Django redirects
    assert len(seen_by_django) == 6
