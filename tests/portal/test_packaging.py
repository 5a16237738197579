"""What `pip install .` ships: the product, not the development tools.

The BankID simulator, the demo directory (``devtools``), ``bench`` and the
tests stay in the checkout; every app's templates, static files and
migrations go with it.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    build = tmp_path_factory.mktemp("build")
    # A clean copy: setuptools builds in the source tree, and a stale build/
    # there could put files in the wheel that the checkout no longer has.
    source = build / "source"
    shutil.copytree(
        ROOT,
        source,
        ignore=shutil.ignore_patterns(
            ".git", ".venv", "var", "build", "*.egg-info", "test-results", "__pycache__"
        ),
    )
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-index",
            "--no-build-isolation",
            "--wheel-dir",
            str(out),
            str(source),
        ],
        check=True,
        cwd=build,
        env={"PATH": "/usr/bin:/bin", "PIP_NO_INPUT": "1", "HOME": str(build)},
    )
    (path,) = out.glob("*.whl")
    return path


def test_the_wheel_has_no_simulator_demo_directory_bench_or_tests(wheel):
    tops = {name.split("/")[0] for name in zipfile.ZipFile(wheel).namelist()}
    assert not tops & {"devtools", "bench", "tests"}
    assert {"portal", "helpdesk", "reset", "services", "enrollment", "identity", "audit"} <= tops


def test_the_wheel_carries_each_apps_templates_static_files_and_migrations(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "services/sms/templates/sms/enroll.html" in names
    assert "services/bankid/static/js/bankid-order.js" in names
    assert "services/sms/migrations/0001_initial.py" in names
    assert "helpdesk/templates/helpdesk/user.html" in names
    assert not [n for n in names if "simulator" in n]


def test_after_pip_install_the_simulator_cannot_be_imported(wheel, tmp_path):
    site = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-index",
            "--target",
            str(site),
            str(wheel),
        ],
        check=True,
        cwd=tmp_path,
    )
    probe = (
        "import sys; sys.path[:0] = [sys.argv[1]]; import services.bankid.service; "
        "import importlib.util as u; print(u.find_spec('devtools'))"
    )
    # -I: not the checkout on sys.path, only what was installed.
    shown = subprocess.run(
        [sys.executable, "-I", "-c", probe, str(site)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    assert shown.stdout.strip() == "None"
    failed = subprocess.run(
        [sys.executable, "-I", "-c", "import devtools.bankid_simulator"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert failed.returncode != 0 and "No module named 'devtools'" in failed.stderr


def test_the_installed_product_starts_without_the_development_tools(wheel, tmp_path):
    site = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index"]
        + ["--target", str(site), str(wheel)],
        check=True,
        cwd=tmp_path,
    )
    probe = (
        "import sys; sys.path[:0] = [sys.argv[1]]; import django; django.setup(); "
        "from django.conf import settings; from enrollment.registry import all_services; "
        "print('devtools' in settings.INSTALLED_APPS, [s.key for s in all_services()])"
    )
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "SECRET_KEY": "packaging-test-key-0123456789abcdefghijklmnopqrstuvwxyz",
        "PORTAL_DATA_DIR": str(tmp_path / "data"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    shown = subprocess.run(
        [sys.executable, "-I", "-c", probe, str(site)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    expected = "False ['sms', 'bankid', 'totp', 'passkey', 'email']"
    assert shown.stdout.strip() == expected, shown.stderr[-2000:]
