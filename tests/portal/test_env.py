from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from portal.env import env_bool, env_int, env_list, env_required, env_str


def test_a_file_variable_wins_over_the_plain_one(tmp_path, monkeypatch):
    secret = tmp_path / "secret"
    secret.write_text("from-file\n")
    monkeypatch.setenv("X_SECRET", "plain")
    monkeypatch.setenv("X_SECRET_FILE", str(secret))
    assert env_str("X_SECRET") == "from-file"


def test_an_unreadable_secret_file_is_a_configuration_error(monkeypatch):
    monkeypatch.setenv("X_SECRET_FILE", "/nonexistent/secret")
    with pytest.raises(ImproperlyConfigured):
        env_str("X_SECRET")


def test_required_variable_missing_is_a_configuration_error(monkeypatch):
    monkeypatch.delenv("X_REQ", raising=False)
    with pytest.raises(ImproperlyConfigured, match="X_REQ"):
        env_required("X_REQ")


def test_typed_helpers_parse_and_refuse_garbage(monkeypatch):
    monkeypatch.setenv("X_BOOL", "yes")
    monkeypatch.setenv("X_INT", "12")
    monkeypatch.setenv("X_LIST", "ldaps://a, ldaps://b,,")
    assert env_bool("X_BOOL") is True
    assert env_int("X_INT", 1) == 12
    assert env_list("X_LIST") == ["ldaps://a", "ldaps://b"]
    monkeypatch.setenv("X_BOOL", "maybe")
    with pytest.raises(ImproperlyConfigured):
        env_bool("X_BOOL")


def test_settings_refuse_to_start_without_secret_key_when_debug_is_off(tmp_path):
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    env.update(DJANGO_SETTINGS_MODULE="portal.settings", PORTAL_DATA_DIR=str(tmp_path))
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
