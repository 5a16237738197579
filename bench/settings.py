"""Settings of the processes the bench starts: the portal's own settings (read
from the environment the bench sets up), plus the bench-only URLconf that adds
the baseline view. Nothing here changes how the product behaves."""

from portal.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"

# The bench reads the one-time codes from the in-memory SMS outbox: the
# check that refuses a development SMS backend outside DEBUG/DEMO_MODE is for
# deployments, not for this.
SILENCED_SYSTEM_CHECKS = ["enrollment.E002"]
