"""Every audit event code the product writes has a label, in one place."""

from __future__ import annotations

import re
from pathlib import Path

from audit.labels import EVENT_LABELS, event_label
from helpdesk.coverage import ACTION_LABELS
from services.bankid.models import BankIDOrder

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("audit", "enrollment", "services", "helpdesk", "identity", "reset", "portal")


def written_codes() -> set[str]:
    codes: set[str] = set()
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "simulator" in path.parts:  # dev tools
                continue
            text = path.read_text(encoding="utf-8")
            codes.update(re.findall(r'^\s*action="([a-z_]+(?:\.[a-z_]+)?)",', text, re.M))
    codes.update(f"bankid.{purpose}" for purpose in BankIDOrder.Purpose.values)
    return codes


def test_every_event_code_written_has_a_label():
    missing = written_codes() - set(EVENT_LABELS)
    assert not missing, f"add labels to audit/labels.py: {sorted(missing)}"


def test_the_coverage_page_uses_the_same_labels():
    assert all(ACTION_LABELS[code] is EVENT_LABELS[code] for code in ACTION_LABELS)


def test_an_unknown_code_is_shown_as_it_is():
    assert event_label("something.new") == "something.new"
    assert event_label("sms.code_requested") == "Mobilkod begärd"
