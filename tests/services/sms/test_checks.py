"""The system check that keeps development SMS backends out of production."""

from __future__ import annotations

from services.sms.checks import check_sms_backend


def ids(settings, **overrides) -> list[str]:
    for name, value in overrides.items():
        setattr(settings, name, value)
    return [problem.id for problem in check_sms_backend()]


def test_the_console_backend_is_refused_in_production(settings):
    console = "services.sms.gateways.ConsoleBackend"
    assert ids(settings, SMS_BACKEND=console, DEBUG=False, DEMO_MODE=False) == ["enrollment.E002"]


def test_the_console_backend_is_fine_for_the_demo_and_debugging(settings):
    console = "services.sms.gateways.ConsoleBackend"
    assert ids(settings, SMS_BACKEND=console, DEBUG=False, DEMO_MODE=True) == []
    assert ids(settings, SMS_BACKEND=console, DEBUG=True, DEMO_MODE=False) == []


def test_the_locmem_backend_only_warns(settings):
    locmem = "services.sms.gateways.LocmemBackend"
    assert ids(settings, SMS_BACKEND=locmem, DEBUG=False, DEMO_MODE=False) == ["enrollment.W002"]


def test_a_real_backend_without_its_credentials_is_pointed_out(settings):
    elks = "services.sms.gateways.FortySixElksBackend"
    assert ids(settings, SMS_BACKEND=elks, SMS_46ELKS_USERNAME="") == ["enrollment.I003"]
    assert ids(settings, SMS_46ELKS_USERNAME="u", SMS_46ELKS_PASSWORD="p") == []


def test_a_backend_that_cannot_be_imported_is_an_error(settings):
    assert ids(settings, SMS_BACKEND="services.sms.gateways.NoSuchBackend") == ["enrollment.E001"]
