"""The interface every identity service (SMS code, BankID, ...) implements."""

from __future__ import annotations

from django.urls import reverse


class IdentityService:
    """One way for a user to prove who they are, worth ``weight`` stars.

    Subclasses set ``key``, ``name`` and the URL names of their views; weight
    and required come from ``settings.IDENTITY_SERVICES``.
    """

    key: str = ""
    name: str = ""
    #: URL name of the view that enrols the logged-in user.
    enroll_url_name: str = ""
    #: URL name of the view that verifies a user inside a proof flow
    #: (called with ``flow_id``): reset, unlock, step-up, helpdesk check.
    verify_url_name: str = ""

    def __init__(self, *, weight: int = 1, required: bool = False) -> None:
        self.weight = weight
        self.required = required

    def enroll_url(self) -> str:
        return reverse(self.enroll_url_name)

    def verify_url(self, flow_id: str) -> str:
        return reverse(self.verify_url_name, kwargs={"flow_id": flow_id})

    def is_enrolled(self, user_guid: str) -> bool:
        from .models import Enrollment

        return Enrollment.objects.filter(user_guid=user_guid, service=self.key).exists()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.key} weight={self.weight}>"
