"""The step indicator follows the person onto a service's verify page:
"Steg 2 av 3" in a reset, "Steg 2 av 2" in an unlock (issue #14)."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("purpose", "step"), [("reset", "Steg 2 av 3:"), ("unlock", "Steg 2 av 2:")]
)
@pytest.mark.parametrize("service", ["sms_verify", "bankid_verify", "totp_verify"])
def test_a_verify_page_shows_the_step_of_the_flow(walker, enrolled_user, purpose, step, service):
    flow_id = walker.start_flow("anna", purpose)
    page = walker.get(reverse(service, kwargs={"flow_id": flow_id})).content.decode()
    assert 'class="steps"' in page
    assert step in page
    assert "Identifiera dig" in page


def test_the_english_verify_page_says_step_2_of_3(walker, enrolled_user):
    flow_id = walker.start_flow("anna")
    page = walker.get("/en" + reverse("sms_verify", kwargs={"flow_id": flow_id})).content.decode()
    assert "Step 2 of 3:" in page
