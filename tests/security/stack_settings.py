"""Settings of the stack the attacks run against: the production defaults of
every limit, a real Celery worker, a real HTTP SMS gateway (the test's local sink) and the
client address from X-Forwarded-For (one proxy), so that a test can speak
from many addresses as a botnet would."""

import os

from tests.settings import *  # noqa: F403

CELERY_TASK_ALWAYS_EAGER = False  # a real worker sends the codes and collects orders
SMS_BACKEND = "services.sms.gateways.HttpBackend"
SMS_HTTP_URL = os.environ["STACK_SMS_SINK"]
SMS_RETRIES = 0
TRUSTED_PROXY_COUNT = 1
RESET_NEW_SERVICE_QUIET_SECONDS = 24 * 3600  # the default
SMS_GLOBAL_HOURLY_BUDGET = 30
BANKID_DIRECTORY_ATTRIBUTE = "employeeNumber"
# One second instead of 60, so that an attack can send a code per flow
# without waiting a minute; the cooldown itself is attacked with that value.
SMS_RESEND_COOLDOWN = 1
# The defaults need 2 stars (no single SMS resets); the group of the "fresh"
# account lets one Mobilkod code reset, to attack the quiet period on its own.
RESET_POLICIES = [
    {
        "name": "SMS only",
        "priority": 10,
        "group": "CN=SmsOnly,CN=Users,DC=demo,DC=local",
        "services": "sms:1",
        "stars_full": 1,
        "stars_reset": 1,
    }
]
