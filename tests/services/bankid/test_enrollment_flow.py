"""Mobilt BankID enrollment and proof through the portal's pages, against the
simulator over mutual TLS. Collects are driven here with ``drive()`` (tasks
run inline in tests); tests/services/bankid/test_worker.py uses a real worker."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AuditEvent
from enrollment import proofs
from enrollment.base import IdentityService
from enrollment.models import Enrollment
from services.bankid.collect import collect_once
from services.bankid.messages import user_message
from services.bankid.models import BankIDOrder
from services.bankid.orders import qr_content
from services.bankid.pnr import hash_personal_number

from .conftest import OTHER_PNR, PNR, eventually

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged_in(client, demo_user, bankid_settings):
    response = client.post(reverse("login"), {"username": "anna", "password": "Gammal-Hemlis-42"})
    assert response.status_code == 302
    return client


def drive(order: BankIDOrder, times: int = 1) -> BankIDOrder:
    """Run the collect task's service ``times`` times, as the worker would."""
    for _ in range(times):
        order.refresh_from_db()
        if order.is_final:
            break
        collect_once(order_id=str(order.pk), token=order.collect_token)
    order.refresh_from_db()
    return order


def start_enrollment(client, pnr: str = PNR) -> BankIDOrder:
    response = client.post(reverse("bankid_enroll"), {"personal_number": pnr})
    assert response.status_code == 302, response.content.decode()[:2000]
    return BankIDOrder.objects.get(pk=response["Location"].rstrip("/").split("/")[-1])


def status(client, order) -> dict:
    return client.get(reverse("bankid_status", kwargs={"order_id": order.pk})).json()


def test_enroll_page_asks_for_the_personnummer_in_the_guides_words(logged_in):
    page = logged_in.get(reverse("bankid_enroll")).content.decode()
    assert "Ange personnummer för att logga in med Mobilt BankID" in page
    assert "Fyll i ditt fullständiga personnummer ÅÅÅÅMMDDXXXX" in page


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("199001012386", "kontrollsiffran"),
        ("199013012381", "födelsedatum"),
        ("19900101238", "10 eller 12 siffror"),
        ("abc", "10 eller 12 siffror"),
        ("", "Ange ditt personnummer."),
    ],
)
def test_an_invalid_personnummer_is_refused_before_any_order(logged_in, sim, typed, message):
    response = logged_in.post(reverse("bankid_enroll"), {"personal_number": typed})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not BankIDOrder.objects.exists() and sim.orders() == []


def test_the_order_page_shows_the_animated_qr_and_the_guides_texts(logged_in):
    order = start_enrollment(logged_in)
    page = logged_in.get(reverse("bankid_order", kwargs={"order_id": order.pk})).content.decode()
    assert "Väntar på Mobilt BankID-inloggning..." in page
    assert "Starta Mobilt BankID på din mobil eller surfplatta och följ instruktionerna." in page
    assert "<svg" in page and "bankid:///?autostarttoken=" in page
    assert str(user_message("RFA1")) in page
    assert "qrStartSecret" not in page and order.qr_secret not in page


def test_the_order_is_narrowed_to_the_typed_personnummer(logged_in, sim):
    order = start_enrollment(logged_in, "19900101-2385")
    (sim_order,) = sim.orders()
    assert sim_order["orderRef"] == order.order_ref
    assert sim_order["personalNumber"] == PNR


def test_a_completed_order_enrols_the_bankid_with_only_a_hash_of_the_number(logged_in, sim):
    order = start_enrollment(logged_in)
    sim.scan(qr_content(order))
    sim.approve(order.order_ref, name="Anna Andersson")
    order = drive(order)
    assert order.status == "complete" and order.outcome == "enrolled"
    state = status(logged_in, order)
    assert state["done"] is True
    done = logged_in.get(state["next"]).content.decode()
    assert "Du har nu registrerat ditt BankID för återställning av lösenord" in done
    enrollment = Enrollment.objects.get(service="bankid")
    assert enrollment.value_hash == hash_personal_number(PNR)
    assert enrollment.display == "Anna Andersson"
    with connection.cursor() as cursor:
        for table in ("enrollment_enrollment", "enrollment_bankidorder", "audit_auditevent"):
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608
            assert PNR not in str(cursor.fetchall()), table
    assert AuditEvent.objects.filter(action="enrollment.created").exists()


def test_the_star_row_gains_the_bankid_star(logged_in, sim):
    order = start_enrollment(logged_in)
    sim.scan(qr_content(order))
    sim.approve(order.order_ref)
    drive(order)
    home = logged_in.get(reverse("home")).content.decode()
    assert "2 av 3 stjärnor" in home  # BankID is worth 2 by default


def test_a_bankid_enrolled_by_someone_else_is_refused_without_saying_whose(logged_in, sim):
    Enrollment.objects.create(
        user_guid="other-guid",
        username="bertil",
        service="bankid",
        display="Bertil",
        value_hash=hash_personal_number(PNR),
    )
    order = start_enrollment(logged_in)
    sim.scan(qr_content(order))
    sim.approve(order.order_ref)
    order = drive(order)
    assert order.outcome == "already_enrolled"
    page = logged_in.get(status(logged_in, order)["next"]).content.decode()
    assert "kan inte registreras" in page and "bertil" not in page.lower()
    assert not Enrollment.objects.filter(user_guid=order.user_guid).exists()


def test_the_bankid_must_match_the_personnummer_in_the_directory(logged_in, sim, settings):
    from devtools.models import DemoDirectoryUser

    DemoDirectoryUser.objects.filter(username="anna").update(extra={"employeeNumber": OTHER_PNR})
    settings.BANKID_DIRECTORY_ATTRIBUTE = "employeeNumber"
    order = start_enrollment(logged_in)
    sim.scan(qr_content(order))
    sim.approve(order.order_ref)
    order = drive(order)
    assert order.outcome == "directory_mismatch"
    assert not Enrollment.objects.exists()


def test_a_matching_directory_personnummer_allows_the_enrollment(logged_in, sim, settings):
    from devtools.models import DemoDirectoryUser

    DemoDirectoryUser.objects.filter(username="anna").update(
        extra={"employeeNumber": "900101-2385"}
    )
    settings.BANKID_DIRECTORY_ATTRIBUTE = "employeeNumber"
    order = start_enrollment(logged_in)
    sim.scan(qr_content(order))
    sim.approve(order.order_ref)
    assert drive(order).outcome == "enrolled"


@pytest.mark.parametrize(
    ("hint", "rfa"),
    [
        ("outstandingTransaction", "RFA1"),
        ("noClient", "RFA1"),
        ("userSign", "RFA9"),
        ("started", "RFA15A"),
        ("userMrtd", "RFA23"),
        ("somethingNew", "RFA21"),
    ],
)
def test_each_pending_hint_code_shows_its_message(logged_in, sim, hint, rfa):
    order = start_enrollment(logged_in)
    sim.set_hint(order.order_ref, hint)
    drive(order)
    assert status(logged_in, order)["message"] == str(user_message(rfa))


@pytest.mark.parametrize(
    ("hint", "rfa"),
    [
        ("userCancel", "RFA6"),
        ("certificateErr", "RFA16"),
        ("startFailed", "RFA17B"),
        ("expiredTransaction", "RFA8"),
        ("cancelled", "RFA3"),
        ("whoKnows", "RFA22"),
    ],
)
def test_each_failure_ends_the_order_with_its_message_and_nothing_saved(logged_in, sim, hint, rfa):
    order = start_enrollment(logged_in)
    sim.fail(order.order_ref, hint)
    order = drive(order)
    assert order.status == "failed" and order.hint_code == hint
    state = status(logged_in, order)
    assert state["done"] and state["message"] == str(user_message(rfa))
    assert not Enrollment.objects.exists()
    assert AuditEvent.objects.get(action="bankid.enroll").result == "failure"


def test_an_order_not_scanned_in_time_fails_with_start_failed(logged_in, sim):
    sim.configure(start_timeout=0.2)
    order = start_enrollment(logged_in)
    # Collect until the simulator's start timeout has passed (no fixed sleep).
    order = eventually(lambda: o if (o := drive(order)).is_final else None, within=10)
    assert (order.status, order.hint_code) == ("failed", "startFailed")


def test_the_cancel_button_cancels_the_order_at_bankid(logged_in, sim):
    order = start_enrollment(logged_in)
    logged_in.post(reverse("bankid_cancel", kwargs={"order_id": order.pk}))
    order.refresh_from_db()
    assert order.status == "cancelled"
    assert sim.orders() == []  # BankID forgets a cancelled order


def test_an_order_nobody_polls_any_more_is_cancelled_and_expired(logged_in, sim, settings):
    settings.BANKID_ABANDON_SECONDS = 0
    order = start_enrollment(logged_in)
    order = drive(order)
    assert order.status == "expired"
    assert sim.orders() == []


def test_a_bankid_outage_at_start_says_so_and_saves_nothing(logged_in, sim):
    sim.configure(maintenance=True)
    response = logged_in.post(reverse("bankid_enroll"), {"personal_number": PNR})
    assert response.status_code == 400
    assert str(user_message("RFA5")) in response.content.decode()
    assert not BankIDOrder.objects.exists()
    assert AuditEvent.objects.get(action="bankid.order_failed").details["error"] == "maintenance"


def test_a_double_click_starts_one_order_only(logged_in, sim):
    first = start_enrollment(logged_in)
    second = start_enrollment(logged_in)
    assert first.pk == second.pk
    assert len(sim.orders()) == 1


def test_someone_elses_or_a_stale_order_id_is_not_found(logged_in, client, sim, demo_directory):
    order = start_enrollment(logged_in)
    from django.test import Client

    stranger = Client()
    for name in ("bankid_order", "bankid_status", "bankid_done"):
        assert stranger.get(reverse(name, kwargs={"order_id": order.pk})).status_code in (404, 302)
    assert stranger.post(reverse("bankid_cancel", kwargs={"order_id": order.pk})).status_code == 404
    import uuid

    stale = uuid.uuid4()
    assert logged_in.get(reverse("bankid_status", kwargs={"order_id": stale})).status_code == 404


def test_the_status_poll_writes_nothing_to_the_database(logged_in, sim):
    order = start_enrollment(logged_in)
    status(logged_in, order)
    with CaptureQueriesContext(connection) as queries:
        state = status(logged_in, order)
    assert state["qr"] == qr_content(order)  # the page draws it
    writes = [q["sql"] for q in queries if q["sql"].split()[0].upper() in {"INSERT", "UPDATE"}]
    assert writes == []


def test_bankid_proves_identity_in_a_proof_flow_only_for_the_enrolled_person(
    client, sim, bankid_settings, demo_user
):
    Enrollment.objects.create(
        user_guid=demo_user.guid,
        username="anna",
        service="bankid",
        display="Anna",
        value_hash=hash_personal_number(PNR),
    )
    session = client.session
    session.save()

    class R:  # the proof flow lives in the test client's session
        pass

    request = R()
    request.session = client.session
    flow = proofs.start_flow(
        request, purpose="reset", user_guid=demo_user.guid, username="anna", return_url="/reset/x/"
    )
    request.session.save()

    response = client.post(reverse("bankid_verify", kwargs={"flow_id": flow.id}))
    order = BankIDOrder.objects.get(pk=response["Location"].rstrip("/").split("/")[-1])
    sim.scan(qr_content(order))
    sim.approve(order.order_ref, personal_number=OTHER_PNR)
    order = drive(order)
    assert order.outcome == "mismatch"
    assert status(client, order)["done"]
    request.session = client.session
    flow = proofs.get_flow(request, flow.id)
    assert "bankid" not in flow.proved and flow.failures == 1

    response = client.post(reverse("bankid_verify", kwargs={"flow_id": flow.id}))
    order = BankIDOrder.objects.get(pk=response["Location"].rstrip("/").split("/")[-1])
    sim.scan(qr_content(order))
    sim.approve(order.order_ref, personal_number=PNR)
    order = drive(order)
    assert order.outcome == "verified"
    assert status(client, order)["next"] == "/reset/x/"
    request.session = client.session
    assert "bankid" in proofs.get_flow(request, flow.id).proved


def test_the_sweeper_expires_old_pending_orders_and_forgets_old_finished_ones(
    logged_in, sim, settings
):
    from datetime import timedelta

    from django.utils import timezone

    from services.bankid.collect import expire_stale_orders

    pending = start_enrollment(logged_in)
    BankIDOrder.objects.filter(pk=pending.pk).update(started_at=pending.started_at - 3600)
    old = BankIDOrder.objects.create(
        purpose="enroll", session_key="x", order_ref="old", started_at=0, status="complete"
    )
    BankIDOrder.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=30))
    settings.BANKID_ORDER_RETENTION_DAYS = 7
    assert expire_stale_orders() == 1
    assert BankIDOrder.objects.get(pk=pending.pk).status == "expired"
    assert not BankIDOrder.objects.filter(pk=old.pk).exists()


def _enrol_directly(user, service: str) -> None:
    Enrollment.objects.create(user_guid=user.guid, username=user.username, service=service)


def test_changing_bankid_goes_straight_to_the_one_other_service(logged_in, demo_user):
    _enrol_directly(demo_user, "bankid")
    _enrol_directly(demo_user, "sms")
    response = logged_in.get(reverse("bankid_enroll"))
    assert response["Location"].startswith("/sms/verify/")
    flow_id = response["Location"].rstrip("/").rsplit("/", 1)[1]
    flow = logged_in.session["proof_flows"][flow_id]
    assert (flow["purpose"], flow["user_guid"]) == ("step_up", demo_user.guid)


def test_with_several_other_services_the_core_step_up_page_offers_each(
    logged_in, demo_user, settings
):
    settings.IDENTITY_SERVICES = [
        {"class": "services.bankid.service.BankIDService"},
        {"class": "services.sms.service.SmsService"},
        {"class": "tests.services.bankid.test_enrollment_flow.OtherService"},
    ]
    for service in ("bankid", "sms", "other"):
        _enrol_directly(demo_user, service)
    response = logged_in.get(reverse("bankid_enroll"))
    assert [t.name for t in response.templates][0] == "enrollment/step_up.html"
    html = response.content.decode()
    assert "Innan du ändrar Mobilt BankID" in html
    assert "/sms/verify/" in html and "/other/verify/" in html


class OtherService(IdentityService):
    key = "other"
    name = "Annan tjänst"

    def verify_url(self, flow_id: str) -> str:
        return f"/other/verify/{flow_id}/"


def test_a_changed_bankid_uses_up_the_step_up_proof(logged_in, sim, demo_user, settings):
    """The step-up proof that let the user change their BankID must not let
    them (or whoever has the session) change it again, for the rest of the
    proof flow's ten minutes, without a new proof: Mobilkod's confirm ends
    it, and so must a completed BankID enrolment."""
    import time

    from enrollment.services import save_enrollment

    settings.IDENTITY_SERVICES = [
        {"class": "services.sms.service.SmsService", "weight": 1},
        {"class": "services.bankid.service.BankIDService", "weight": 1},
    ]
    for service, value_hash in (("sms", ""), ("bankid", hash_personal_number(OTHER_PNR))):
        save_enrollment(
            request=None,
            user_guid=demo_user.guid,
            username="anna",
            service=service,
            display="x",
            value_hash=value_hash,
        )
    step_up = logged_in.get(reverse("bankid_enroll"))
    assert step_up.status_code == 302
    flow_id = step_up["Location"].rstrip("/").split("/")[-1]
    session = logged_in.session
    session["proof_flows"][flow_id]["proved"]["sms"] = time.time()  # as sms_verify does
    session.save()

    order = start_enrollment(logged_in)
    sim.scan(qr_content(order))
    sim.approve(order.order_ref)
    order = drive(order)
    assert order.outcome == "enrolled"
    logged_in.get(status(logged_in, order)["next"])  # the done page

    again = logged_in.get(reverse("bankid_enroll"))
    assert again.status_code == 302 and "/sms/verify/" in again["Location"]


def test_a_hold_placed_while_the_order_runs_stops_the_enrolment(logged_in, sim, demo_user):
    """ "Det var inte jag" confirmed while the app is open: the enrol page
    checked the hold when the order started, the worker checks it again before
    saving (r15a's gap)."""
    from identity.models import AccountHold

    order = start_enrollment(logged_in)
    AccountHold.objects.create(user_guid=demo_user.guid, username="anna", kind="enrollment.created")
    sim.scan(qr_content(order))
    sim.approve(order.order_ref, name="Anna Andersson")
    order = drive(order)
    assert order.status == "complete" and order.outcome == "held"
    assert not Enrollment.objects.filter(service="bankid").exists()
    assert not AuditEvent.objects.filter(action="enrollment.created").exists()
    done = logged_in.get(reverse("bankid_done", kwargs={"order_id": order.pk})).content.decode()
    assert "Ditt konto är spärrat för ändringar" in done
