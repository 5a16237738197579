from tests.helpdesk.conftest import helpdesk, helpdesk_person  # noqa: F401
