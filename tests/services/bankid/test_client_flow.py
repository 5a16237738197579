"""The client against the running simulator: the order life cycle over mutual TLS."""

from __future__ import annotations

import base64
import datetime as dt
from concurrent.futures import ThreadPoolExecutor

import pytest

from devtools.bankid_simulator import SimulatorRequestError
from services.bankid import errors
from services.bankid.messages import status_message
from services.bankid.payloads import WebInfo

from .conftest import END_USER_IP, OTHER_PNR, PNR, collect_until_final, eventually


def test_qr_order_from_start_to_complete(sim, bankid):
    order = bankid.auth(END_USER_IP, personal_number=PNR, user_visible_data="Logga in")
    first = bankid.collect(order.order_ref)
    assert (first.status, first.hint_code) == ("pending", "outstandingTransaction")
    assert status_message(first.status, first.hint_code, qr_shown=True) == "RFA1"

    sim.scan(order.qr_payload())
    scanned = bankid.collect(order.order_ref)
    assert (scanned.status, scanned.hint_code) == ("pending", "userSign")

    sim.approve(order.order_ref)
    result = bankid.collect(order.order_ref)
    assert result.is_complete and result.hint_code is None
    data = result.completion
    assert data.user.personal_number == PNR
    assert (data.user.given_name, data.user.surname) == ("Karl", "Karlsson")
    assert data.user.name == "Karl Karlsson"
    assert data.device.ip_address and data.device.uhi
    assert isinstance(data.bank_id_issue_date, dt.date)
    assert base64.b64decode(data.signature) and base64.b64decode(data.ocsp_response)
    assert data.risk is None and data.step_up_mrtd is None
    assert PNR not in repr(result)


def test_order_without_requirement_completes_with_the_number_the_person_gives(sim, bankid):
    order = bankid.auth(END_USER_IP)
    sim.scan(order.qr_payload())
    sim.approve(order.order_ref, personal_number="850709-9805", name="Maja Provsson")
    user = bankid.collect(order.order_ref).completion.user
    assert (user.personal_number, user.name) == ("198507099805", "Maja Provsson")


def test_return_risk_and_mrtd_show_up_in_hint_and_completion(sim, bankid):
    order = bankid.auth(END_USER_IP, return_risk=True, mrtd=True, web=WebInfo("ex.se", "UA", "d"))
    sim.scan(order.qr_payload())
    assert bankid.collect(order.order_ref).hint_code == "userMrtd"
    sim.approve(order.order_ref)
    completion = bankid.collect(order.order_ref).completion
    assert completion.risk == "low" and completion.step_up_mrtd is True


def test_autostart_opens_the_order(sim, bankid):
    order = bankid.auth(END_USER_IP, return_url="https://portal.example/bankid#n=1")
    sim.open(autoStartToken=order.auto_start_token)
    assert bankid.collect(order.order_ref).hint_code == "userSign"


def test_user_cancel_fails_the_order(sim, bankid):
    order = bankid.auth(END_USER_IP, personal_number=PNR)
    sim.scan(order.qr_payload())
    sim.user_cancel(order.order_ref)
    result = bankid.collect(order.order_ref)
    assert (result.status, result.hint_code) == ("failed", "userCancel")
    assert status_message(result.status, result.hint_code, qr_shown=True) == "RFA6"


def test_qr_not_scanned_in_time_fails_with_start_failed(sim, bankid):
    sim.configure(start_timeout=0.3)
    order = bankid.auth(END_USER_IP)
    result = collect_until_final(bankid, order.order_ref)
    assert (result.status, result.hint_code) == ("failed", "startFailed")
    assert status_message("failed", "startFailed", qr_shown=True) == "RFA17B"


def test_order_not_completed_in_time_fails_with_expired_transaction(sim, bankid):
    sim.configure(order_lifetime=0.5)
    order = bankid.auth(END_USER_IP, personal_number=PNR)
    sim.scan(order.qr_payload())
    result = collect_until_final(bankid, order.order_ref)
    assert (result.status, result.hint_code) == ("failed", "expiredTransaction")


def test_second_order_for_the_same_person_ends_both(sim, bankid):
    first = bankid.auth(END_USER_IP, personal_number=PNR)
    with pytest.raises(errors.AlreadyInProgressError) as caught:
        bankid.auth(END_USER_IP, personal_number=PNR)
    assert caught.value.rfa == "RFA4" and not caught.value.permanent
    assert caught.value.http_status == 400
    result = bankid.collect(first.order_ref)
    assert (result.status, result.hint_code) == ("failed", "cancelled")
    # Another person is not affected, and the user can start again.
    bankid.auth(END_USER_IP, personal_number=OTHER_PNR)
    again = bankid.auth(END_USER_IP, personal_number=PNR)
    assert bankid.collect(again.order_ref).is_pending


def test_cancel_twice_is_invalid_parameters(sim, bankid):
    order = bankid.auth(END_USER_IP, personal_number=PNR)
    bankid.cancel(order.order_ref)
    with pytest.raises(errors.InvalidParametersError) as caught:
        bankid.cancel(order.order_ref)
    assert caught.value.permanent and caught.value.rfa == "RFA22"
    with pytest.raises(errors.InvalidParametersError):
        bankid.collect(order.order_ref)


def test_unknown_order_ref_is_invalid_parameters(bankid):
    with pytest.raises(errors.InvalidParametersError):
        bankid.collect("8c1ed0a4-0e3f-4d4c-9c55-000000000000")


def test_final_state_is_collectable_only_for_a_while(sim, bankid):
    sim.configure(complete_retention=0.3, collect_once=False)
    order = bankid.auth(END_USER_IP)
    sim.approve(order.order_ref)
    assert bankid.collect(order.order_ref).is_complete
    assert bankid.collect(order.order_ref).is_complete

    def stale() -> bool:
        try:
            bankid.collect(order.order_ref)
        except errors.InvalidParametersError:
            return True
        return False

    eventually(stale)


def test_only_the_first_collect_after_the_final_state_answers(sim, bankid):
    order = bankid.auth(END_USER_IP)
    sim.user_cancel(order.order_ref)
    assert bankid.collect(order.order_ref).is_failed
    with pytest.raises(errors.InvalidParametersError):
        bankid.collect(order.order_ref)


def test_maintenance_is_a_retryable_error(sim, bankid):
    sim.configure(maintenance=True)
    with pytest.raises(errors.MaintenanceError) as caught:
        bankid.auth(END_USER_IP)
    error = caught.value
    assert (error.http_status, error.permanent, error.auto_retry) == (503, False, True)
    assert error.rfa == "RFA5"
    sim.configure(maintenance=False)
    assert bankid.auth(END_USER_IP).order_ref


@pytest.mark.parametrize(
    ("error_code", "cls", "status", "permanent", "auto_retry", "rfa"),
    [
        ("alreadyInProgress", errors.AlreadyInProgressError, 400, False, False, "RFA4"),
        ("invalidParameters", errors.InvalidParametersError, 400, True, False, "RFA22"),
        ("unauthorized", errors.UnauthorizedError, 401, True, False, "RFA22"),
        ("notFound", errors.NotFoundError, 404, True, False, "RFA22"),
        ("methodNotAllowed", errors.MethodNotAllowedError, 405, True, False, "RFA22"),
        ("requestTimeout", errors.RequestTimeoutError, 408, False, False, "RFA5"),
        ("unsupportedMediaType", errors.UnsupportedMediaTypeError, 415, True, False, "RFA22"),
        ("tooManyRequests", errors.TooManyRequestsError, 429, False, True, "RFA5"),
        ("internalError", errors.InternalError, 500, False, False, "RFA5"),
        ("maintenance", errors.MaintenanceError, 503, False, True, "RFA5"),
    ],
)
def test_each_error_code_becomes_its_typed_error(
    sim, bankid, error_code, cls, status, permanent, auto_retry, rfa
):
    sim.configure(inject_error={"errorCode": error_code, "count": 1})
    with pytest.raises(cls) as caught:
        bankid.collect("any")
    error = caught.value
    assert (error.error_code, error.http_status) == (error_code, status)
    assert (error.permanent, error.auto_retry, error.rfa) == (permanent, auto_retry, rfa)
    if error_code == "tooManyRequests":
        assert error.retry_after == 1.0
    # Only the next call was affected.
    with pytest.raises(errors.InvalidParametersError):
        bankid.collect("any")


def test_blocked_bankid_fails_with_certificate_err(sim, bankid):
    order = bankid.auth(END_USER_IP, personal_number=PNR)
    sim.scan(order.qr_payload())
    sim.fail(order.order_ref, "certificateErr")
    result = bankid.collect(order.order_ref)
    assert (result.status, result.hint_code) == ("failed", "certificateErr")
    assert status_message(result.status, result.hint_code, qr_shown=True) == "RFA16"


def test_a_forged_or_stale_qr_code_is_refused(sim, bankid):
    order = bankid.auth(END_USER_IP, personal_number=PNR)
    genuine = order.qr_payload()
    forged = genuine[:-1] + ("0" if genuine[-1] != "0" else "1")
    with pytest.raises(SimulatorRequestError) as caught:
        sim.scan(forged)
    assert caught.value.code == "qr_code"
    stale = order.qr_payload(now=order.started_at + 60)
    with pytest.raises(SimulatorRequestError) as caught:
        sim.scan(stale)
    assert caught.value.code == "qr_time"
    with pytest.raises(SimulatorRequestError) as caught:
        sim.scan("not a qr code")
    assert caught.value.code == "qr_format"
    assert bankid.collect(order.order_ref).hint_code == "outstandingTransaction"


def test_only_the_required_person_can_approve(sim, bankid):
    order = bankid.auth(END_USER_IP, personal_number=PNR)
    sim.scan(order.qr_payload())
    with pytest.raises(SimulatorRequestError) as caught:
        sim.approve(order.order_ref, personal_number=OTHER_PNR)
    assert caught.value.code == "wrong_person"
    assert bankid.collect(order.order_ref).is_pending


def test_sign_shows_the_text_to_the_user(sim, bankid):
    text = "Jag godkänner villkoren för Självserviceportalen.\nRad två: åäö"
    order = bankid.sign(END_USER_IP, text, user_visible_data_format="simpleMarkdownV1")
    [shown] = [o for o in sim.orders() if o["orderRef"] == order.order_ref]
    assert (shown["kind"], shown["userVisibleData"]) == ("sign", text)
    with pytest.raises(ValueError):
        bankid.sign(END_USER_IP, "")


def test_phone_auth_confirms_the_call(sim, bankid):
    order = bankid.phone_auth(PNR, "user", user_visible_data="Samtal med helpdesk")
    assert bankid.collect(order.order_ref).hint_code == "outstandingTransaction"
    sim.open(personalNumber=PNR)
    assert bankid.collect(order.order_ref).hint_code == "userCallConfirm"
    sim.approve(order.order_ref)
    assert bankid.collect(order.order_ref).completion.user.personal_number == PNR


def test_phone_auth_declined_call(sim, bankid):
    order = bankid.phone_auth(PNR, "RP")
    sim.decline_call(order.order_ref)
    assert bankid.collect(order.order_ref).hint_code == "userDeclinedCall"


def test_arguments_are_checked_before_anything_is_sent(sim, bankid):
    with pytest.raises(ValueError) as caught:
        bankid.auth(END_USER_IP, personal_number="19900101-2385")
    assert "2385" not in str(caught.value)
    with pytest.raises(ValueError):
        bankid.phone_auth(PNR, "someone")
    with pytest.raises(ValueError):
        bankid.auth("")
    assert sim.state.stats["auth"] == 0


def test_one_client_serves_many_threads(sim, bankid):
    order = bankid.auth(END_USER_IP)

    def collect(_: int) -> str:
        return bankid.collect(order.order_ref).status

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(collect, range(80)))
    assert statuses == ["pending"] * 80
    assert sim.state.stats["collect"] == 80
