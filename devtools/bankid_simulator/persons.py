"""Test persons the simulator completes orders with, and their completion data."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape


@dataclass(frozen=True)
class TestPerson:
    __test__ = False  # not a pytest class

    personal_number: str
    given_name: str
    surname: str
    bank_id_issue_date: str

    @property
    def name(self) -> str:
        return f"{self.given_name} {self.surname}"


# Only Luhn-valid test numbers (reference §4/§6); never real people's numbers.
TEST_PERSONS = {
    p.personal_number: p
    for p in (
        TestPerson("199001012385", "Karl", "Karlsson", "2023-05-01"),
        TestPerson("201701122382", "Tilda", "Testsson", "2024-02-12"),
        TestPerson("198507099805", "Maja", "Provsson", "2021-09-30"),
        TestPerson("197010632391", "Sam", "Samordnare", "2022-11-15"),
    )
}
DEFAULT_GIVEN_NAME = "Test"
DEFAULT_SURNAME = "Testsson"
DEFAULT_PERSONAL_NUMBER = "199001012385"


def person_for(personal_number: str, name: str | None = None) -> TestPerson:
    """The known test person, or a made-up one; ``name`` overrides the name."""
    known = TEST_PERSONS.get(personal_number)
    given, surname = (
        (known.given_name, known.surname) if known else (DEFAULT_GIVEN_NAME, DEFAULT_SURNAME)
    )
    if name and name.strip():
        parts = name.split()
        given, surname = parts[0], " ".join(parts[1:]) or surname
    issue = known.bank_id_issue_date if known else _issue_date(personal_number)
    return TestPerson(personal_number, given, surname, issue)


def completion_data(
    *,
    person: TestPerson,
    device_ip: str,
    order_kind: str,
    requirement: dict[str, Any],
    user_visible_data: str | None,
    return_risk: bool,
    risk: str = "low",
) -> dict[str, Any]:
    """``completionData`` shaped like BankID's; signature and OCSP are placeholders."""
    data: dict[str, Any] = {
        "user": {
            "personalNumber": person.personal_number,
            "name": person.name,
            "givenName": person.given_name,
            "surname": person.surname,
        },
        "device": {"ipAddress": device_ip, "uhi": _uhi(person.personal_number)},
        "bankIdIssueDate": person.bank_id_issue_date,
        "signature": _signature(person, order_kind, user_visible_data),
        "ocspResponse": base64.b64encode(
            b"BankID simulator: placeholder, not an OCSP response " + secrets.token_bytes(16)
        ).decode("ascii"),
    }
    if requirement.get("mrtd"):
        data["stepUp"] = {"mrtd": True}
    if return_risk and risk:
        data["risk"] = risk
    return data


def _uhi(personal_number: str) -> str:
    # Stable per person, like one phone's hardware id.
    digest = hashlib.sha1(f"bankid-sim-uhi:{personal_number}".encode(), usedforsecurity=False)
    return base64.b64encode(digest.digest()).decode("ascii")


def _issue_date(personal_number: str) -> str:
    days = int(hashlib.sha256(personal_number.encode()).hexdigest()[:4], 16) % 1500
    return (dt.date(2021, 1, 1) + dt.timedelta(days=days)).isoformat()


def _signature(person: TestPerson, kind: str, visible: str | None) -> str:
    # Looks like the BankID Signature Profile's outline but is NOT signed.
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Signature xmlns="http://www.w3.org/2000/09/xmldsig#">'
        "<!-- BankID simulator placeholder: not a real signature -->"
        '<Object><bankIdSignedData xmlns="http://www.bankid.com/signature/v1.0.0/types">'
        f"<usrVisibleData>{escape(visible or '')}</usrVisibleData>"
        f"<srvInfo><name>{escape(person.name)}</name><kind>{escape(kind)}</kind>"
        f"<nonce>{secrets.token_urlsafe(16)}</nonce></srvInfo>"
        "</bankIdSignedData></Object></Signature>"
    )
    return base64.b64encode(xml.encode("utf-8")).decode("ascii")
