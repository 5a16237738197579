from __future__ import annotations

import pytest

from enrollment import conf
from enrollment.checks import check_star_thresholds
from enrollment.stars import proof_is_sufficient


@pytest.mark.parametrize("value", [0, -1, "", None])
def test_a_reset_threshold_below_one_still_needs_a_proof(settings, value):
    settings.RESET_STARS_REQUIRED = value
    settings.ENROLLMENT_STARS_FULL = value
    assert conf.stars_to_reset() == 1
    assert not proof_is_sufficient([], ["sms"])
    assert [e.id for e in check_star_thresholds()] == ["enrollment.E010"] * 2


def test_sensible_thresholds_pass_the_check(settings):
    settings.RESET_STARS_REQUIRED = 1
    settings.ENROLLMENT_STARS_FULL = 2
    assert check_star_thresholds() == []
    assert proof_is_sufficient(["sms"], ["sms"])
