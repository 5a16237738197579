"""Each setting has one default, in its app's conf: portal/settings.py only
reads the environment, so with nothing set it defines none of the apps'
settings (the app's default applies)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import json, portal.settings as s
names = s._ENV_STR + s._ENV_INT + s._ENV_FLOAT + s._ENV_BOOL + s._ENV_LIST
print(json.dumps({
    "defined": sorted(n for n in names if hasattr(s, n)),
    "listed": sorted(names),
    "login": s.LOGIN_RATE_LIMITS,
    "weights": hasattr(s, "IDENTITY_SERVICES_WEIGHTS"),
}))
"""


def _settings_with(env: dict[str, str], tmp_path) -> dict:
    import json

    base = {
        "PATH": "/usr/bin:/bin",
        "SECRET_KEY": "defaults-test-key-0123456789abcdefghijklmnopqrstuvwxyz",
        "PORTAL_DATA_DIR": str(tmp_path),
    }
    out = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=base | env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)


def test_with_an_empty_environment_no_app_setting_is_written(tmp_path):
    found = _settings_with({}, tmp_path)
    assert {"SMS_BACKEND", "BANKID_URL", "AUDIT_RETENTION_DAYS"} <= set(found["listed"])
    assert found["defined"] == []
    assert found["login"] == {} and found["weights"] is False


def test_a_variable_in_the_environment_is_read_once(tmp_path):
    found = _settings_with(
        {"BANKID_URL": "https://example.test/rp/v6.0/", "LOGIN_RATE_PER_USER": "7"}, tmp_path
    )
    assert found["defined"] == ["BANKID_URL"] and found["login"] == {"user": 7}
