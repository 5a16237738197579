"""Browser tests: Playwright (pytest-playwright) driving Debian's chromium,
with an axe-core WCAG 2.1 A/AA check of every page a test visits.

Use the ``page`` fixture as usual; after each navigation call ``a11y(page)``.
The fixture checks the last page at the end, and a page that was loaded but
never checked fails the test. Every checked page is also saved as a screenshot
in ``test-results/screenshots`` (``<test>-NN.png``; ``<test>.png`` is the last).
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
# Anchored at the checkout: a test may change the working directory.
OUTPUT = Path(os.environ.get("E2E_OUTPUT", Path(__file__).resolve().parents[2] / "test-results"))


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
def browser_language():
    return "sv-SE"


@pytest.fixture
def browser_context_args(browser_context_args, live_server, browser_language):
    return {**browser_context_args, "locale": browser_language, "base_url": live_server.url}


class A11yChecker:
    """Runs axe-core (bundled by axe-playwright-python, no CDN) on a page."""

    def __init__(self, name: str = "page") -> None:
        from axe_playwright_python.sync_playwright import Axe

        self.axe = Axe()
        self.name = name
        self.shots = 0
        self.unchecked: list[str] = []
        self.checked: list[str] = []

    def on_load(self, page) -> None:
        self.unchecked.append(page.url)

    def __call__(self, page) -> None:
        """Check the page as it is now; fail on any WCAG 2.1 A/AA violation."""
        from playwright.sync_api import Error as PlaywrightError

        for attempt in range(3):
            page.wait_for_load_state("domcontentloaded")
            try:
                results = self.axe.run(
                    page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}}
                )
                break
            except PlaywrightError as exc:
                # The page moved on by itself (an order page going to its done
                # page) while axe ran: check the page it moved to.
                if "Execution context was destroyed" not in str(exc) or attempt == 2:
                    raise
                page.wait_for_load_state("load")
        self.checked.append(page.url)
        self.unchecked = [u for u in self.unchecked if u != page.url]
        self.shots += 1
        screenshot(page, f"{self.name}-{self.shots:02d}")
        if results.violations_count:
            pytest.fail(
                f"axe found {results.violations_count} WCAG 2.1 A/AA violation(s) on "
                f"{page.url}:\n{results.generate_report()}",
                pytrace=False,
            )


@pytest.fixture
def a11y(request):
    return A11yChecker(request.node.name)


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
