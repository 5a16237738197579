"""Rate limits on codes: per user, per IP address, per phone number, and on tries."""

from __future__ import annotations

import pytest

from audit.models import AuditEvent
from services.sms.challenges import start_sms_challenge, verify_sms_code
from services.sms.codes import CodeError
from services.sms.gateways import outbox
from services.sms.limits import SmsRateLimited
from tests.conftest import age_throttles

from .helpers import last_code, make_request, wrong_code

pytestmark = pytest.mark.django_db


def send(capture, *, user="guid-1", phone="+46701234512", ip="192.0.2.10", request=None):
    request = request or make_request(ip=ip)
    with capture(execute=True):
        challenge = start_sms_challenge(
            request=request,
            purpose="enroll",
            user_guid=user,
            username=user,
            phone_e164=phone,
        )
    return request, challenge


def test_five_codes_per_user_then_a_pause(django_capture_on_commit_callbacks):
    for i in range(5):
        send(django_capture_on_commit_callbacks, phone=f"+4670123451{i}", ip=f"192.0.2.{i}")
    with pytest.raises(SmsRateLimited) as err:
        send(django_capture_on_commit_callbacks, phone="+46701234519", ip="192.0.2.99")
    assert err.value.scope == "send_user"
    assert err.value.message == "Du har begärt för många koder. Vänta en stund och försök igen."
    assert len(outbox) == 5
    assert AuditEvent.objects.get(action="sms.rate_limited").details == {"scope": "send_user"}


def test_codes_per_ip_address_are_limited(django_capture_on_commit_callbacks, settings):
    settings.SMS_RATE_LIMITS = {"send_ip": (2, 3600)}
    for i in range(2):
        send(django_capture_on_commit_callbacks, user=f"guid-{i}", phone=f"+4670123451{i}")
    with pytest.raises(SmsRateLimited) as err:
        send(django_capture_on_commit_callbacks, user="guid-9", phone="+46701234519")
    assert err.value.scope == "send_ip"


def test_helpdesk_staff_are_counted_each_on_their_own_not_by_the_office_address(
    django_capture_on_commit_callbacks, settings
):
    from django.contrib.auth import get_user_model

    settings.SMS_RATE_LIMITS = {"send_ip": (2, 3600)}
    staff = [
        get_user_model().objects.create(username=f"hd{i}", is_staff=True, directory_guid=f"s{i}")
        for i in range(2)
    ]
    for member in staff:
        for i in range(2):
            request = make_request()
            request.user = member
            send(
                django_capture_on_commit_callbacks,
                user=f"{member.pk}-{i}",
                phone=f"+4670123450{i}",
                request=request,
            )
            age_throttles(61, scope_prefix="sms-cooldown")
    request = make_request()
    request.user = staff[0]
    with pytest.raises(SmsRateLimited) as err:
        send(django_capture_on_commit_callbacks, user="x", phone="+46701234599", request=request)
    assert err.value.scope == "send_ip"


def test_codes_per_phone_number_are_limited(django_capture_on_commit_callbacks, settings):
    settings.SMS_RATE_LIMITS = {"send_number": (2, 3600)}
    for i in range(2):
        send(django_capture_on_commit_callbacks, user=f"guid-{i}", ip=f"192.0.2.{i}")
        age_throttles(61, scope_prefix="sms-cooldown")
    with pytest.raises(SmsRateLimited) as err:
        send(django_capture_on_commit_callbacks, user="guid-9", ip="192.0.2.99")
    assert err.value.scope == "send_number"
    # Another number from the same users is still fine.
    send(django_capture_on_commit_callbacks, user="guid-9", phone="+46709999999", ip="192.0.2.98")


def test_tries_are_limited_across_codes(django_capture_on_commit_callbacks, settings):
    settings.SMS_RATE_LIMITS = {"verify_user": (2, 900)}
    request, challenge = send(django_capture_on_commit_callbacks)
    code = last_code()
    for _ in range(2):
        with pytest.raises(CodeError):
            verify_sms_code(
                request=request,
                challenge_id=challenge.pk,
                purpose="enroll",
                user_guid="guid-1",
                code=wrong_code(code),
            )
    with pytest.raises(SmsRateLimited) as err:
        verify_sms_code(
            request=request,
            challenge_id=challenge.pk,
            purpose="enroll",
            user_guid="guid-1",
            code=code,
        )
    assert err.value.message == "För många försök. Vänta en stund och försök igen."
