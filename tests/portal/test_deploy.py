"""The production configuration: compose file, image recipe, `check --deploy`, headers."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_has_the_production_services_with_health_checks(compose):
    services = compose["services"]
    assert {"web", "worker", "beat", "postgres", "redis"} <= set(services)
    for name in ("web", "worker", "postgres", "redis"):
        assert "healthcheck" in services[name], name
    for name, service in services.items():
        assert service.get("restart") in {"unless-stopped", "always"}, name


def test_compose_inlines_no_secrets(compose):
    secret_words = re.compile(r"(PASSWORD|SECRET|TOKEN|KEY)", re.I)
    for name, service in compose["services"].items():
        env = service.get("environment", {})
        for key, value in env.items():
            if secret_words.search(key):
                assert key.endswith("_FILE"), f"{name}: {key} must come from a file"
            assert not re.search(r"://[^@/]+:[^@/]+@", str(value)), f"{name}: {key} has a password"
    for secret in compose.get("secrets", {}).values():
        assert "file" in secret


def test_dockerfile_builds_from_pyproject_as_a_non_root_user():
    text = (ROOT / "Dockerfile").read_text()
    assert re.search(r"^FROM python:3\.11-slim", text, re.M)
    assert "COPY pyproject.toml" in text and "pip install ." in text
    users = re.findall(r"^USER (\S+)", text, re.M)
    assert users and users[-1] not in {"root", "0"}


def _production_env(tmp_path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DEBUG"))}
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings",
        SECRET_KEY="a-long-random-production-secret-key-0123456789-abcdefghijklmnopqrstuv",
        PORTAL_DATA_DIR=str(tmp_path),
        ALLOWED_HOSTS="portal.example.se",
        DEBUG="false",
        SECURE_SSL_REDIRECT="true",
        SECURE_HSTS_INCLUDE_SUBDOMAINS="true",
        SECURE_HSTS_PRELOAD="true",
        BANKID_DIRECTORY_ATTRIBUTE="employeeNumber",
    )
    for key in (
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_HSTS_SECONDS",
        "SMS_BACKEND",
        "DEMO_MODE",
    ):
        env.pop(key, None)
    env["SMS_BACKEND"] = "services.sms.gateways.FortySixElksBackend"
    return env


def test_check_deploy_is_clean_in_production_settings(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_production_env(tmp_path),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_deploy_warns_when_nothing_ties_a_bankid_to_the_account(tmp_path):
    env = _production_env(tmp_path)
    env.pop("BANKID_DIRECTORY_ATTRIBUTE")
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "enrollment.W011" in result.stderr + result.stdout


def test_pages_carry_a_csp_without_inline_script_and_deny_framing(client, db):
    response = client.get("/login/")
    csp = response.headers["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]+)", csp).group(1)
    assert "'unsafe-inline'" not in script_src
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "<script>" not in response.content.decode()
