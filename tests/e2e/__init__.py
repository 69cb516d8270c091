"""Browser tests: the app served by a real server in this process, driven by Chromium.

The helpers here are shared by the tests' fixtures (conftest.py) and the screenshot
script (screenshots.py). The database is always a SQLite file with the schema the
migrations build. Everything stays on 127.0.0.1: the browser is refused any other address.
"""

from __future__ import annotations

import re
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import flask_migrate
from flask import Flask
from playwright.sync_api import expect
from werkzeug.serving import WSGIRequestHandler, make_server

from app import create_app
from app.extensions import db
from tests.conftest import PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
NO_CHROMIUM = (
    f"the browser tests need Chromium at {CHROMIUM}; install it (apt-get install chromium)"
)


def launch_options() -> dict:
    return {"executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


def migrate(database: Path) -> Path:
    """Build the schema in the SQLite file `database` with the migrations."""
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{database}")
    with app.app_context():
        flask_migrate.upgrade()
        db.engine.dispose()
    return database


def copy_database(template: Path, database: Path) -> Path:
    shutil.copyfile(template, database)
    return database


class QuietHandler(WSGIRequestHandler):
    """The app logs each request itself; werkzeug's own access log is noise here."""

    def log_request(self, *args, **kwargs) -> None:
        pass


class LiveServer:
    """The app on a real HTTP server, on a free port of 127.0.0.1, in a daemon thread.

    CSRF protection is on, as in production; rate limits stay off. `database` is a
    migrated SQLite file, shared by the server's threads and the test (which seeds it
    inside `with server.app.app_context():`).
    """

    def __init__(self, database: Path, **overrides):
        self.app: Flask = create_app(
            "testing",
            WTF_CSRF_ENABLED=True,
            SQLALCHEMY_DATABASE_URI=f"sqlite:///{database}",
            **overrides,
        )
        self.server = make_server(
            "127.0.0.1", 0, self.app, threaded=True, request_handler=QuietHandler
        )
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        # A short poll interval lets shutdown() return at once rather than in half a second.
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def start(self) -> LiveServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)
        with self.app.app_context():
            db.session.remove()
            db.engine.dispose()

    @property
    def elsewhere(self) -> re.Pattern:
        """Every URL that is not this server's (http, https, ws…; data: is no request)."""
        return re.compile(rf"^(?!{re.escape(self.url)}/)[a-z][a-z0-9+.-]*://")


@contextmanager
def live_server(database: Path, **overrides) -> Iterator[LiveServer]:
    server = LiveServer(database, **overrides).start()
    try:
        yield server
    finally:
        server.stop()


def confine(context, server: LiveServer) -> None:
    """Keep a browser context on `server`: requests anywhere else are aborted."""
    context.route(server.elsewhere, lambda route: route.abort("blockedbyclient"))


def log_in(page, username: str, password: str = PASSWORD) -> None:
    """Sign in through the login form, as a person would."""
    page.goto("/auth/login")
    page.get_by_label("Username or email", exact=True).fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("status")).to_contain_text("Signed in as")
