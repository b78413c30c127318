"""Real browser tests: Playwright driving Debian's Chromium against Django's live server.

Never downloads a browser: the launch points at Debian's Chromium, its headless shell
(`chromium-headless-shell`, the same engine without the browser's user interface; the
build Playwright itself runs headless tests on) when it is installed, else `chromium`.
The shell took about half the CPU of the full browser for the same tests
(docs/testing.md). OH_TEST_CHROMIUM names another executable.
Screenshots go to test-artifacts/screenshots/ (kept by CI as artifacts).
"""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    path = (
        os.environ.get("OH_TEST_CHROMIUM")
        or shutil.which("chromium-headless-shell")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
    )
    if path is None:
        raise RuntimeError("Debian's chromium is not installed: run ./dev test, which installs it")
    return {**browser_type_launch_args, "executable_path": path, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "fi-FI", "timezone_id": "Europe/Helsinki"}


@pytest.fixture(scope="session")
def demo_snapshot(django_db_setup, django_db_blocker):
    """The demo as the first browser test of this process seeded it
    (opiskeluhuolto/testing/demo_snapshot.py); dropped before the test databases are."""
    from opiskeluhuolto.testing.demo_snapshot import DemoSnapshot

    snapshot = DemoSnapshot()
    yield snapshot
    with django_db_blocker.unblock():
        snapshot.discard()


@pytest.fixture
def demo(transactional_db, settings, demo_snapshot):
    """The demo provider (small), seeded into the live server's database: seeded once per
    process and restored for each test (OH_TEST_DEMO_SNAPSHOT=0: seeded for each test)."""
    from django.core.management import call_command

    settings.DEMO_MODE = True
    demo_snapshot.seeded(
        lambda: call_command("seed_demo", "--students", "60", stdout=io.StringIO())
    )


@pytest.fixture
def sign_in(live_server, page):
    """sign_in(username) signs in through the real form with the demo password."""
    from opiskeluhuolto.organisation.demo.cast import DEMO_PASSWORD

    def do(username: str, password: str = DEMO_PASSWORD):
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=login]", username)
        page.fill("input[name=password]", password)
        page.locator("main form button[type=submit]").last.click()
        page.wait_for_load_state()
        return page

    return do


@pytest.fixture
def screenshot(page):
    def take(name: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


#: Pages axe is running on: a load can fire while a test's own check runs, and the
#: page's axe refuses a second run until the first one ends.
_RUNNING: set[int] = set()


def _violations(page) -> list[str]:
    """Every WCAG violation axe finds on the page, of any impact (minor and moderate too)."""
    from axe_playwright_python.sync_playwright import Axe

    while id(page) in _RUNNING:  # let the check of the load event end first
        page.wait_for_timeout(50)
    _RUNNING.add(id(page))
    try:
        results = Axe().run(page)
    finally:
        _RUNNING.discard(id(page))
    return [
        f"{v['id']} ({v.get('impact')}): {v['help']} "
        f"({len(v['nodes'])} nodes: {', '.join(str(n['target']) for n in v['nodes'][:3])})"
        for v in results.response["violations"]
    ]


@pytest.fixture
def axe(page):
    """axe() → the WCAG violations of any impact on the current page (expected: [])."""
    return lambda: _violations(page)


@pytest.fixture(autouse=True)
def axe_on_every_page(request):
    """Every page a browser test loads is checked with axe, whatever the test asserts
    itself: each load is checked as it happens, and the test fails at its end if any page
    had a violation of any impact (issue 19)."""
    if "page" not in request.fixturenames:
        yield
        return
    from playwright.sync_api import Error

    page = request.getfixturevalue("page")
    # Our pages only: a test identity provider's sign-in page is not ours to fix.
    ours = (
        request.getfixturevalue("live_server").url if "live_server" in request.fixturenames else ""
    )
    found: dict[str, list[str]] = {}

    def check(loaded) -> None:
        if (ours and not loaded.url.startswith(ours)) or id(loaded) in _RUNNING:
            return  # not ours, or the test's own check of this page is running
        try:
            violations = _violations(loaded)
        except Error:  # the page went on to the next one before axe finished
            return
        if violations:
            found.setdefault(loaded.url, violations)

    page.on("load", check)
    yield
    page.remove_listener("load", check)
    assert not found, "axe violations:\n" + "\n".join(f"{u}: {v}" for u, v in found.items())
