"""The simulator's tests use the BankID service's fixtures (a client pointed at it)."""

from tests.services.bankid.conftest import (  # noqa: F401
    END_USER_IP,
    PNR,
    bankid,
    other_certs,
)
