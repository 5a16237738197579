from __future__ import annotations

import datetime as dt

import pytest

from services.bankid.qr import autostart_url, qr_auth_code, qr_payload, qr_svg
from services.bankid.responses import OrderStarted

# Reference §2 (ActiveLogin's unit tests, recomputed locally).
TOKEN = "67df3917-fa0d-44e5-b327-edcc928297f8"
SECRET = "d28db9a7-4cde-429e-a983-359be676944c"
VECTORS = {
    0: "dc69358e712458a66a7525beef148ae8526b1c71610eff2c16cdffb4cdac9bf8",
    1: "949d559bf23403952a94d103e67743126381eda00f0b3cbddbf7c96b1adcbce2",
    2: "a9e5ec59cb4eee4ef4117150abc58fad7a85439a6a96ccbecc3668b41795b3f3",
    3: "96077d77699971790b46ee1f04ff1e44fe96b0602c9c51e4ca9c6d031c7c3bb7",
}


@pytest.mark.parametrize(("seconds", "code"), VECTORS.items())
def test_auth_code_matches_the_reference_vectors(seconds, code):
    assert qr_auth_code(SECRET, seconds) == code


@pytest.mark.parametrize(("seconds", "code"), VECTORS.items())
def test_payload_uses_whole_seconds_since_the_response(seconds, code):
    started = 1_700_000_000.25
    payload = qr_payload(TOKEN, SECRET, started, now=started + seconds + 0.99)
    assert payload == f"bankid.{TOKEN}.{seconds}.{code}"


def test_payload_accepts_aware_datetimes():
    started = dt.datetime(2026, 1, 1, 12, 0, 0, tzinfo=dt.UTC)
    now = started + dt.timedelta(seconds=2, milliseconds=500)
    assert qr_payload(TOKEN, SECRET, started, now) == f"bankid.{TOKEN}.2.{VECTORS[2]}"
    with pytest.raises(ValueError):
        qr_payload(TOKEN, SECRET, started.replace(tzinfo=None), now)


def test_payload_time_never_goes_negative_when_the_clock_steps_back():
    assert qr_payload(TOKEN, SECRET, 1000.0, now=990.0) == f"bankid.{TOKEN}.0.{VECTORS[0]}"


def test_order_started_makes_the_payload_and_hides_the_secret():
    order = OrderStarted("ref", "auto", TOKEN, SECRET, started_at=500.0)
    assert order.qr_payload(now=501.5) == f"bankid.{TOKEN}.1.{VECTORS[1]}"
    assert SECRET not in repr(order)


def test_svg_is_inline_accessible_and_self_contained():
    svg = qr_svg(f"bankid.{TOKEN}.0.{VECTORS[0]}", label="Skanna <QR> & logga in")
    assert svg.startswith("<svg ")
    assert 'role="img"' in svg
    assert 'aria-label="Skanna &lt;QR&gt; &amp; logga in"' in svg
    assert "<title>Skanna &lt;QR&gt; &amp; logga in</title>" in svg
    assert "viewBox" in svg
    assert "href" not in svg and "<script" not in svg and "<?xml" not in svg


def test_svg_has_a_default_label_and_changes_with_the_payload():
    first = qr_svg(f"bankid.{TOKEN}.0.{VECTORS[0]}")
    assert 'aria-label="' in first and "<title>" in first
    assert first == qr_svg(f"bankid.{TOKEN}.0.{VECTORS[0]}")
    assert first != qr_svg(f"bankid.{TOKEN}.1.{VECTORS[1]}")


def test_autostart_links():
    assert autostart_url("abc-1") == "bankid:///?autostarttoken=abc-1&redirect=null"
    assert (
        autostart_url("abc-1", universal_link=True, redirect="https://portal.example/r?x=1")
        == "https://app.bankid.com/?autostarttoken=abc-1"
        "&redirect=https%3A%2F%2Fportal.example%2Fr%3Fx%3D1"
    )
