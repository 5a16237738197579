"""A real BankID simulator (mutual TLS on loopback) for the BankID tests.

One simulator per test session; every test starts from ``reset()`` (no orders,
default settings). Lifetimes are shortened per test with ``sim.configure``,
and tests poll until a state is reached instead of asserting times.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

import pytest

from devtools.bankid_simulator import BankIDSimulator
from services.bankid.client import BankIDClient
from services.bankid.responses import CollectResult

T = TypeVar("T")

PNR = "199001012385"  # Luhn-valid test number (reference §4)
OTHER_PNR = "201701122382"
END_USER_IP = "192.0.2.10"


@pytest.fixture(scope="session")
def other_certs(tmp_path_factory: pytest.TempPathFactory):
    """A second, unrelated CA with its own server and client certificates."""
    from devtools.bankid_simulator import ensure_certificates

    return ensure_certificates(tmp_path_factory.mktemp("other-ca"))


@pytest.fixture
def bankid(sim: BankIDSimulator):
    client: BankIDClient = sim.client()
    yield client
    client.close()


def eventually(probe: Callable[[], T | None], *, within: float = 15.0) -> T:
    """Call ``probe`` until it returns something truthy. ``within`` is a safety
    net against hanging, not a timing assertion."""
    deadline = time.monotonic() + within
    while True:
        result = probe()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError("the expected state was never reached")
        time.sleep(0.05)


def collect_until_final(client: BankIDClient, order_ref: str) -> CollectResult:
    def final() -> CollectResult | None:
        result = client.collect(order_ref)
        return None if result.is_pending else result

    return eventually(final)
