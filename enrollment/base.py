"""The interface every identity service (SMS code, BankID, ...) implements.

A service is a Django app of its own (``services/<name>/``) whose AppConfig
subclasses ``enrollment.apps.IdentityServiceConfig`` and names its
``IdentityService`` subclass. The core, the reset flows and the helpdesk use a
service only through the hooks below, so adding one touches none of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.urls import reverse

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse

    from .models import Enrollment


@dataclass
class CallerCheck:
    """What the helpdesk hands a service that checks a caller on the phone.

    The helpdesk keeps the outcome (``finish``) and a little state per user in
    its session (``state`` / ``save_state``) and limits the checks (``guard``);
    the service runs the check and renders its page with ``render`` inside the
    helpdesk's admin layout.
    """

    request: HttpRequest
    user: Any  # identity.directory.DirectoryUser
    enrollment: Enrollment
    render: Any  # (request, template, context, *, title, status=200) -> HttpResponse
    finish: Any  # (request, *, user, method, verified, reason="") -> None
    #: The helpdesk's limits on caller checks (helpdesk.guard): ``begin_check``
    #: before comparing anything, then ``check_passed`` / ``check_missed`` /
    #: ``check_handed_over``; ``CheckRefused`` when a limit is reached.
    guard: Any
    state: Any  # () -> dict
    save_state: Any  # (dict) -> None
    #: The URL of this check's page, and of the helpdesk's page of the user.
    url: str
    user_url: str
    verification: Any  # the last outcome, or None


class IdentityService:
    """One way for a user to prove who they are, worth ``weight`` stars.

    Subclasses set ``key``, ``name``, ``default_weight`` and the URL names of
    their views; ``settings.IDENTITY_SERVICES`` (or ``IDENTITY_SERVICES_WEIGHTS``)
    may set another weight and mark the service required, and a per-group
    policy (``enrollment.policy``) may override both for its members.
    """

    key: str = ""
    name: str = ""
    #: URL name of the view that enrols the logged-in user.
    enroll_url_name: str = ""
    #: URL name of the view that verifies a user inside a proof flow
    #: (called with ``flow_id``): reset, unlock, step-up.
    verify_url_name: str = ""
    #: What the helpdesk's button says for checking a caller with this service;
    #: empty: the service offers no caller check.
    caller_check_label: str = ""
    #: Stars the service is worth when the settings do not say: by assurance
    #: (a phishing-resistant or identity-checked service 2, a code sent to or
    #: shown on something the user has 1; NIST SP 800-63B calls SMS a
    #: restricted authenticator), so that by default no single code resets a
    #: password (RESET_STARS_REQUIRED defaults to 2).
    default_weight: int = 1

    def __init__(self, *, weight: int | None = None, required: bool = False) -> None:
        self.weight = type(self).default_weight if weight is None else weight
        self.required = required

    def enroll_url(self) -> str:
        """Where the logged-in user enrols (or changes) this service."""
        return reverse(self.enroll_url_name)

    def verify_url(self, flow_id: str) -> str:
        """Where a user proves this service inside the proof flow ``flow_id``."""
        return reverse(self.verify_url_name, kwargs={"flow_id": flow_id})

    def is_enrolled(self, user_guid: str) -> bool:
        from .selectors import has_enrollment

        return has_enrollment(user_guid=user_guid, service=self.key)

    def masked(self, enrollment: Enrollment) -> str:
        """How an enrolment is shown (pages, admin, helpdesk): never the value
        itself, e.g. a masked phone number or the name BankID returned."""
        return enrollment.display

    def queue_notice(
        self, *, user_guid: str, text: str, kind: str, replaced_value: str = ""
    ) -> bool:
        """Send ``text`` to the user through this service (e.g. to the enrolled
        phone) once the current transaction commits; ``replaced_value`` is the
        protected value a change replaced, which gets the notice instead. The
        text passes through the task queue: no secrets in it. False when the
        service cannot carry a notice (the default)."""
        return False

    def caller_check_available(self) -> bool:
        """Whether the helpdesk can check a caller with this service now."""
        return bool(self.caller_check_label)

    def check_caller(self, check: CallerCheck) -> HttpResponse:
        """Run the helpdesk's check that the caller is the enrolled user (GET
        shows the page, POST acts); call ``check.finish`` with the outcome."""
        raise NotImplementedError

    def check(self) -> list:
        """This service's system checks (its configuration), run by the
        ``enrollment`` app's check for every configured service."""
        return []

    def deploy_check(self) -> list:
        """Its checks for a production deployment (``manage.py check --deploy``)."""
        return []

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.key} weight={self.weight}>"
