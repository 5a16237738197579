from __future__ import annotations

import pytest

from services.bankid import BankIDBackend, BankIDClient, get_bankid_backend, reset_bankid_backend

from .conftest import END_USER_IP


@pytest.fixture
def configured(settings, sim):
    reset_bankid_backend()
    for name, value in sim.client_settings().items():
        setattr(settings, name, value)
    yield settings
    reset_bankid_backend()


def test_the_default_backend_is_the_client_built_from_settings(configured):
    backend = get_bankid_backend()
    assert isinstance(backend, BankIDClient) and isinstance(backend, BankIDBackend)
    assert get_bankid_backend() is backend
    assert backend.collect(backend.auth(END_USER_IP).order_ref).is_pending


def test_changing_a_bankid_setting_builds_a_new_backend(configured):
    first = get_bankid_backend()
    configured.BANKID_TIMEOUT = "2,5"
    second = get_bankid_backend()
    assert second is not first and second.timeout == (2.0, 5.0)


class RecordingBackend:
    def __init__(self):
        self.closed = False

    def close(self):
        self.closed = True


def test_the_backend_class_is_chosen_by_dotted_path(configured):
    configured.BANKID_BACKEND = f"{__name__}.RecordingBackend"
    backend = get_bankid_backend()
    assert isinstance(backend, RecordingBackend)
    reset_bankid_backend()
    assert backend.closed
