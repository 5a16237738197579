"""Browser tests: Playwright driving Debian's chromium, with an axe-core
WCAG 2.1 A/AA check of every page a test visits.

Use the ``page`` fixture as usual; after each navigation call
``a11y(page)`` (or let the fixture check the last page at the end). A page that
was loaded but never checked fails the test.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM calls in
# fixtures are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
OUTPUT = Path(os.environ.get("E2E_OUTPUT", "test-results"))


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (make test does)")
        pytest.skip(f"{CHROMIUM} is missing")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture
def page(page, a11y, request):
    """pytest-playwright's page, with every loaded page noted for the axe check."""
    page.set_default_timeout(15_000)
    page.on("load", lambda: a11y.on_load(page))
    yield page
    rep = getattr(request.node, "rep_call", None)
    screenshot(page, request.node.name)
    if rep is not None and rep.passed:
        if page.url in a11y.unchecked:
            a11y(page)
        missed = [u for u in a11y.unchecked if u != page.url]
        if missed:
            pytest.fail(f"pages loaded but not checked with axe: {missed}", pytrace=False)


def screenshot(page, name: str) -> Path:
    OUTPUT.mkdir(parents=True, exist_ok=True)
    path = OUTPUT / "screenshots" / (re.sub(r"[^A-Za-z0-9_.-]+", "_", name) + ".png")
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True)
    return path


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    setattr(item, f"rep_{rep.when}", rep)
