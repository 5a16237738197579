"""Error and response parsing for answers the simulator does not give
(BankID may add error codes; proxies answer without BankID's JSON)."""

from __future__ import annotations

import pytest

from services.bankid import errors
from services.bankid.responses import parse_collect


def test_an_unknown_4xx_code_is_permanent_and_keeps_its_code():
    error = errors.error_for_response(400, "brandNewCode", "Something new")
    assert isinstance(error, errors.UnknownBankIDError)
    assert (error.error_code, error.permanent, error.auto_retry, error.rfa) == (
        "brandNewCode",
        True,
        False,
        "RFA22",
    )


def test_an_unknown_5xx_code_is_not_permanent():
    error = errors.error_for_response(502, "gatewayTrouble")
    assert isinstance(error, errors.UnknownBankIDError) and not error.permanent


def test_a_gateway_error_without_bankid_json_is_a_transport_error():
    error = errors.error_for_response(502, None)
    assert isinstance(error, errors.BankIDTransportError)
    assert (error.permanent, error.auto_retry) == (False, True)


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (401, errors.UnauthorizedError),
        (403, errors.UnauthorizedError),
        (404, errors.NotFoundError),
        (503, errors.MaintenanceError),
    ],
)
def test_a_known_status_without_json_maps_to_its_error(status, cls):
    assert isinstance(errors.error_for_response(status, None), cls)


def test_personal_numbers_are_redacted_from_details():
    error = errors.error_for_response(400, "invalidParameters", "Bad 19900101-2385 and 9001012385")
    assert "2385" not in error.details and "2385" not in str(error)
    assert error.details == "Bad <pnr> and <pnr>"
    # A uuid (orderRef) is not mistaken for a personal number.
    ref = "131daac9-16c6-4618-beb0-365768f37288"
    assert errors.redact(f"No such order {ref}") == f"No such order {ref}"


def test_collect_ignores_unknown_fields_and_refuses_unknown_statuses():
    result = parse_collect(
        {"orderRef": "r", "status": "pending", "hintCode": "userSign", "newField": {"x": 1}}
    )
    assert (result.status, result.hint_code) == ("pending", "userSign")
    with pytest.raises(errors.BankIDInvalidResponse):
        parse_collect({"orderRef": "r", "status": "paused"})
    with pytest.raises(errors.BankIDInvalidResponse):
        parse_collect({"orderRef": "r", "status": "complete"})
