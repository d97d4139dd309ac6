"""Playwright driving Debian's chromium against pytest-django's live server.

Playwright's own browser download is not available here, so the tests launch /usr/bin/chromium
(or $CHROMIUM). Without it they are skipped locally and fail in CI, so CI never silently skips them.
"""

from __future__ import annotations

import os
import shutil

import pytest

CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# around it are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed: CI must run the browser tests (apt-get install chromium)")
        pytest.skip("chromium is not installed (apt-get install chromium) — browser tests skipped")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def console_problems() -> list[str]:
    """The console errors and page errors seen; a test that provokes one on purpose removes it."""
    return []


def forget_expected_errors(console_problems: list[str]) -> None:
    """htmx logs the failed requests a test provokes, and chromium the failed loads."""
    expected = ("Response Status Error Code", "htmx:sendError", "htmx:afterRequest", "Failed to load resource")
    console_problems[:] = [p for p in console_problems if not p.startswith(expected)]


@pytest.fixture
def page(browser, live_server, console_problems):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1200, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.on("console", lambda msg: msg.type == "error" and console_problems.append(msg.text))
    page.on("pageerror", lambda exc: console_problems.append(str(exc)))
    yield page
    context.close()
    # Every page must work under the Content-Security-Policy and without script errors or htmx's
    # complaints (a test that provokes an error on purpose forgets it: `forget_expected_errors`).
    assert console_problems == []


@pytest.fixture
def logged_in_page(page, candidate, password):
    page.goto("/accounts/login/")
    page.fill("input[name=username]", candidate.username)
    page.fill("input[name=password]", password)
    page.click("form button[type=submit]:has-text('Log in')")
    page.wait_for_url("**/questions/")
    return page
