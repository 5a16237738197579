"""``python -m bench.totp_proof``: the server time of one authenticator app proof.

Not part of ``python -m bench`` (it needs no gunicorn, Samba or simulator): the
portal runs in this process on a test database of its own (created from
``DATABASE_URL`` like the test suite's, removed at the end), a demo directory
user enrols an app through the real pages, and each timed request is one POST
of a code to ``/totp/verify/<flow>/`` through Django's whole stack (middleware,
session, the protection service's counters, the locked device row, the
decrypted secret, django-otp's check, the audit row). Flows are made untimed
between the requests; the device's ``last_t`` is reset untimed so that the same
right code can be proved again.

Prints the median and the 90th percentile (ms) of: a right code, a wrong code,
a wrong code for a name without the app (the decoy: it should cost about the
same), and django-otp's check alone. Asserts nothing about speed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from types import SimpleNamespace


def _setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    os.environ.setdefault("RESET_MAX_FAILED_PROOFS", "1000000")
    import django

    django.setup()
    import logging

    logging.disable(logging.WARNING)  # a line per request would drown the figures
    from django.test.utils import setup_test_environment

    setup_test_environment()
    from django.db import connection

    name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    return connection, name


def _ms(samples: list[float]) -> str:
    ordered = sorted(samples)
    p90 = ordered[int(0.9 * (len(ordered) - 1))]
    return f"median {statistics.median(ordered) * 1000:6.2f} ms   p90 {p90 * 1000:6.2f} ms"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=300, help="timed proofs of each kind")
    args = parser.parse_args(argv)
    connection, _name = _setup()
    try:
        return _run(args.n)
    finally:
        connection.creation.destroy_test_db(_name, verbosity=0)


def _run(n: int) -> int:
    from django.conf import settings
    from django.core.cache import cache
    from django.test import Client
    from django.test.utils import override_settings
    from django.urls import reverse
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from enrollment import proofs
    from identity.directory import get_directory
    from services.totp.devices import check_code_on, confirmed_device
    from tests.services.totp.helpers import enrol_through_pages

    cache.clear()
    user = get_directory().create_user(
        username="bench", password="Bench-Hemlis-42", upn="bench@demo.local", mail=""
    )
    browser = Client()
    assert browser.post(reverse("login"), {"username": "bench", "password": "Bench-Hemlis-42"})
    with override_settings(OTP_TOTP_THROTTLE_FACTOR=0, RESET_NEW_SERVICE_QUIET_SECONDS=0):
        app = enrol_through_pages(browser)
        visitor = Client()

        def new_flow(guid: str, name: str) -> str:
            holder = SimpleNamespace(session=visitor.session)
            flow = proofs.start_flow(
                holder, purpose="reset", user_guid=guid, username=name, return_url="/after/"
            )
            holder.session.save()
            return reverse("totp_verify", kwargs={"flow_id": flow.id})

        def timed(guid: str, name: str, typed, expect: int) -> list[float]:
            samples = []
            for _ in range(n):
                url = new_flow(guid, name)
                TOTPDevice.objects.update(last_t=-1, throttling_failure_count=0)
                code = typed()
                start = time.perf_counter()
                response = visitor.post(url, {"code": code})
                samples.append(time.perf_counter() - start)
                assert response.status_code == expect, response.status_code
            return samples

        wrong = lambda: "000000" if app.now() != "000000" else "111111"  # noqa: E731
        right = timed(user.guid, "bench", app.now, 302)
        refused = timed(user.guid, "bench", wrong, 400)
        decoy = timed("", "nobody", wrong, 400)
        core = []
        for _ in range(n):
            TOTPDevice.objects.update(last_t=-1)
            device = confirmed_device(user.guid)
            code = app.now()
            start = time.perf_counter()
            check_code_on(device, code)
            core.append(time.perf_counter() - start)
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    print(f"authenticator app proof, {n} of each, database {engine}:")
    print(f"  right code, whole request    {_ms(right)}")
    print(f"  wrong code, whole request    {_ms(refused)}")
    print(f"  decoy (no app), wrong code   {_ms(decoy)}")
    print(f"  django-otp check alone       {_ms(core)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
