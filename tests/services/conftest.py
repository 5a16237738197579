"""The services' tests of their helpdesk caller checks use the helpdesk's fixtures."""

from tests.helpdesk.conftest import (  # noqa: F401
    anna_sms,
    helpdesk,
    helpdesk_person,
)
