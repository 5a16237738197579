"""The demo's BankID simulator ports: from the environment, else the default
when free, else a free port (so a busy 8443 or a second demo does not fail)."""

from __future__ import annotations

import socket

from devtools.management.commands.demo import pick_port


def test_a_busy_default_port_is_replaced_by_a_free_one(monkeypatch):
    monkeypatch.delenv("DEMO_BANKID_PORT", raising=False)
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        taken = busy.getsockname()[1]
        port = pick_port("DEMO_BANKID_PORT", taken)
        assert port != taken
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", port))  # really free


def test_a_free_default_port_is_kept(monkeypatch):
    monkeypatch.delenv("DEMO_BANKID_PORT", raising=False)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        free = sock.getsockname()[1]
    assert pick_port("DEMO_BANKID_PORT", free) == free


def test_the_environment_names_the_port(monkeypatch):
    monkeypatch.setenv("DEMO_BANKID_PORT", "18443")
    assert pick_port("DEMO_BANKID_PORT", 8443) == 18443
