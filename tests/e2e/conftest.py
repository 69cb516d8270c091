"""Fixtures for the browser tests: Debian's Chromium, a live server per test, and pages
that fail the test on a JavaScript error or a Content-Security-Policy violation.

Without /usr/bin/chromium every browser test skips with a message saying so (and with CI
set, tests/conftest.py turns those skips into a failed run).
"""

import pytest

from tests.e2e import (
    CHROMIUM,
    NO_CHROMIUM,
    confine,
    copy_database,
    launch_options,
    live_server,
    migrate,
)

# Console errors that are no fault of the page: error pages (404, 405…) are "resources
# that failed to load", and so is anything confine() refuses outside 127.0.0.1.
EXPECTED_CONSOLE_ERRORS = ("Failed to load resource",)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not CHROMIUM.exists():
        pytest.skip(NO_CHROMIUM)
    return {**browser_type_launch_args, **launch_options()}


@pytest.fixture(scope="session")
def e2e_schema(tmp_path_factory):
    """A SQLite file migrated to the newest revision, once per run; servers get copies.

    Always SQLite, whatever TEST_DATABASE_URL says: the server's threads share the file.
    """
    return migrate(tmp_path_factory.mktemp("e2e-schema") / "head.db")


@pytest.fixture
def server(e2e_schema, tmp_path):
    """The app on a real server at `server.url`, with an empty database of its own.

    Seed it with the factories inside `with server.app.app_context():`.
    """
    with live_server(copy_database(e2e_schema, tmp_path / "corkboard.db")) as running:
        yield running


@pytest.fixture
def page_problems():
    """JavaScript errors and CSP violations seen in any page of the test."""
    return []


@pytest.fixture
def open_context(new_context, server, page_problems):
    """open_context(**options) -> a new browser context (own cookies) on the live server.

    Options are Playwright's new_context() options (color_scheme, viewport, bypass_csp…).
    """

    def watch(page) -> None:
        def on_console(message) -> None:
            if message.type == "error" and not message.text.startswith(EXPECTED_CONSOLE_ERRORS):
                page_problems.append(f"{page.url}: console error: {message.text}")

        page.on("pageerror", lambda error: page_problems.append(f"{page.url}: {error}"))
        page.on("console", on_console)

    def open_(**options):
        # The character counters format numbers in the browser's locale: "5,001" in en-US.
        context = new_context(base_url=server.url, **({"locale": "en-US"} | options))
        context.set_default_timeout(10_000)
        confine(context, server)
        context.on("page", watch)
        return context

    yield open_
    assert page_problems == [], "the pages had script errors or CSP violations"


@pytest.fixture
def page(open_context):
    """A page in a fresh context: an anonymous visitor."""
    return open_context().new_page()
