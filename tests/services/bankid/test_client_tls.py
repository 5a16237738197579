"""Mutual TLS: who the client trusts, and whom the simulator lets in."""

from __future__ import annotations

import os
import socket
import stat
import tempfile
import threading

import pytest
import requests
from django.core.exceptions import ImproperlyConfigured

from services.bankid import conf, errors, roots
from services.bankid.client import BankIDClient
from services.bankid.tls import pem_file

from .conftest import END_USER_IP


def _subjects(client: BankIDClient) -> list[str]:
    return [
        dict(rdn[0] for rdn in cert["subject"])["commonName"]
        for cert in client.ssl_context.get_ca_certs()
    ]


def test_the_client_trusts_only_the_configured_ca_even_after_requests(sim, bankid):
    order = bankid.auth(END_USER_IP)
    bankid.collect(order.order_ref)
    bankid.cancel(order.order_ref)
    assert _subjects(bankid) == ["BankID Simulator Local CA (test only)"]


def test_a_client_without_a_certificate_is_refused_at_tls(sim):
    with pytest.raises((requests.exceptions.SSLError, requests.exceptions.ConnectionError)):
        requests.post(
            sim.api_url + "collect",
            data=b'{"orderRef":"x"}',
            headers={"Content-Type": "application/json"},
            verify=str(sim.certs.ca_file),
            timeout=5,
        )
    assert sim.state.stats["collect"] == 0


def test_a_client_certificate_from_another_ca_is_refused(sim, other_certs):
    client = sim.client(
        cert=str(other_certs.client_cert_file), key=str(other_certs.client_key_file)
    )
    with pytest.raises(errors.BankIDTLSError) as caught:
        client.collect("x")
    assert not caught.value.permanent
    assert sim.state.stats["collect"] == 0


def test_the_official_bankid_test_rp_certificate_is_not_accepted_by_the_simulator(sim):
    certs = pytest.importorskip("bankid.certs")
    cert, key = certs.get_test_cert_and_key()
    client = sim.client(cert=str(cert), key=str(key))
    with pytest.raises(errors.BankIDTLSError):
        client.collect("x")


def test_a_client_pinned_to_another_ca_refuses_the_server(sim, other_certs):
    client = sim.client(ca=str(other_certs.ca_file))
    with pytest.raises(errors.BankIDTLSError) as caught:
        client.auth(END_USER_IP)
    assert "certificate_verify_failed" in str(caught.value)
    assert sim.state.stats["auth"] == 0


def test_a_client_pinned_to_the_bankid_test_root_refuses_the_simulator(sim):
    client = sim.client(ca=roots.TEST_ROOT)
    with pytest.raises(errors.BankIDTLSError):
        client.auth(END_USER_IP)


def test_certificate_and_key_as_pem_text(sim):
    before = set(os.listdir(tempfile.gettempdir()))
    client = sim.client(
        cert=sim.certs.client_cert_file.read_text(),
        key=sim.certs.client_key_file.read_text(),
        ca=sim.certs.ca_file.read_text(),
    )
    assert client.collect(client.auth(END_USER_IP).order_ref).is_pending
    leftovers = {n for n in set(os.listdir(tempfile.gettempdir())) - before if "bankid" in n}
    assert leftovers == set()


def test_pem_text_is_written_privately_and_removed():
    pem = "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"
    with pem_file(pem, what="BANKID_KEY") as path:
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
        with open(path) as handle:
            assert handle.read() == pem
    assert not os.path.exists(path)


def test_bankid_urls_pin_bankids_own_roots_by_default(sim):
    cert, key = str(sim.certs.client_cert_file), str(sim.certs.client_key_file)
    test = BankIDClient(url=conf.TEST_URL, cert=cert, key=key, ca="")
    assert _subjects(test) == ["Test BankID SSL Root CA v1 Test"]
    production = BankIDClient(url=conf.PRODUCTION_URL, cert=cert, key=key, ca="")
    assert _subjects(production) == ["BankID SSL Root CA v1"]
    with pytest.raises(ImproperlyConfigured):
        BankIDClient(url="https://bankid.internal/rp/v6.0/", cert=cert, key=key, ca="")


@pytest.mark.parametrize(
    "overrides",
    [
        {"url": "http://127.0.0.1:1/rp/v6.0/"},
        {"cert": ""},
        {"cert": "/nonexistent/rp.pem"},
        {"key": "/nonexistent/rp-key.pem"},
        {"ca": "/nonexistent/ca.pem"},
        {"timeout": "soon"},
    ],
)
def test_bad_configuration_fails_at_construction(sim, overrides):
    with pytest.raises(ImproperlyConfigured):
        sim.client(**overrides)


def test_a_wrong_key_for_the_certificate_fails_at_construction(sim, other_certs):
    with pytest.raises(ImproperlyConfigured):
        sim.client(key=str(other_certs.client_key_file))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_connection_refused_is_a_retryable_transport_error(sim):
    client = sim.client(url=f"https://127.0.0.1:{_free_port()}/rp/v6.0/")
    with pytest.raises(errors.BankIDTransportError) as caught:
        client.collect("x")
    assert (caught.value.permanent, caught.value.auto_retry) == (False, True)
    assert caught.value.rfa == "RFA5"


def test_a_server_that_never_answers_is_a_timeout(sim):
    # A real socket that accepts and then stays silent (no TLS handshake).
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    accepted: list[socket.socket] = []
    thread = threading.Thread(target=lambda: accepted.append(listener.accept()[0]), daemon=True)
    thread.start()
    port = listener.getsockname()[1]
    try:
        client = sim.client(url=f"https://127.0.0.1:{port}/rp/v6.0/", timeout=(0.3, 0.3))
        with pytest.raises(errors.BankIDTransportError) as caught:
            client.collect("x")
        assert isinstance(caught.value, errors.BankIDTimeout)
        assert not caught.value.permanent
    finally:
        for connection in accepted:
            connection.close()
        listener.close()
