"""The demo's seed: its users and the admin's policy for the helpdesk group."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from enrollment.models import ResetPolicy
from enrollment.policy import policy_for

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_policy_for_the_helpdesk_group_that_applies_to_its_member(demo_directory):
    call_command("seed_demo")
    call_command("seed_demo")  # again: nothing doubled
    assert ResetPolicy.objects.filter(name="Helpdesk").count() == 1
    helpdesk = policy_for(user=demo_directory.find_user("helpdesk"))
    assert (helpdesk.name, helpdesk.stars_reset) == ("Helpdesk", 3)
    assert helpdesk.service("bankid").required
    assert policy_for(user=demo_directory.find_user("demo")).is_default
