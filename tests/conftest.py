"""Shared fixtures. The database is SQLite in memory unless TEST_DATABASE_URL names another.

Every test gets a fresh app; server databases keep their schema between tests and have
their rows deleted after each one.
"""

import os

import pytest
import sqlalchemy as sa

from app import create_app
from app.extensions import db
from tests.factories import make_user


def pytest_report_header(config):
    return f"database: {os.environ.get('TEST_DATABASE_URL') or 'sqlite:// (in memory)'}"


def pytest_sessionfinish(session, exitstatus):
    # In CI a skipped test is a test that did not run: fail the run instead of hiding it.
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = len(reporter.stats.get("skipped", [])) if reporter else 0
    if os.environ.get("CI") and skipped and exitstatus == 0:
        reporter.write_line(f"CI allows no skipped tests; {skipped} skipped.", red=True)
        session.exitstatus = 1


def delete_all_rows() -> None:
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    db.session.commit()


def make_app(**overrides):
    app = create_app("testing", **overrides)
    with app.app_context():
        db.create_all()
    return app


def dispose(app, clean: bool = True) -> None:
    with app.app_context():
        db.session.remove()
        if clean and db.engine.dialect.name != "sqlite":
            delete_all_rows()
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def app():
    app = make_app()
    yield app
    dispose(app)


@pytest.fixture
def app_factory():
    """Build an app with config overrides; cleaned up like the `app` fixture.

    `create_schema=False` leaves the database untouched (for one that cannot be reached).
    """
    made = []

    def factory(create_schema: bool = True, **overrides):
        app = make_app(**overrides) if create_schema else create_app("testing", **overrides)
        made.append((app, create_schema))
        return app

    yield factory
    for app, has_schema in made:
        dispose(app, clean=has_schema)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def count_rows(app):
    """count_rows(Model) -> how many rows its table holds now."""

    def count(model) -> int:
        with app.app_context():
            return db.session.scalar(sa.select(sa.func.count()).select_from(model))

    return count


@pytest.fixture
def sql_statements(app):
    """A list that records every SQL statement the app runs while the test goes on."""
    statements: list[str] = []

    def record(conn, cursor, statement, *args):
        if not statement.startswith("BEGIN"):  # SQLite's explicit BEGIN is not a query
            statements.append(statement)

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", record)
    yield statements
    sa.event.remove(engine, "before_cursor_execute", record)


PASSWORD = "correct horse"


class Auth:
    """Log a test client in and out through the real forms."""

    def __init__(self, client):
        self.client = client

    def login(self, username: str, password: str = PASSWORD, **extra):
        data = {"username": username, "password": password} | extra
        return self.client.post("/auth/login", data=data)

    def logout(self):
        return self.client.post("/auth/logout")


@pytest.fixture
def auth(client):
    return Auth(client)


@pytest.fixture
def user(app):
    """A member, detached: read its attributes, don't lazy-load through it."""
    with app.app_context():
        member = make_user(username="alice", email="alice@example.org", password=PASSWORD)
        db.session.refresh(member)
        db.session.expunge(member)
    return member


@pytest.fixture
def other_user(app):
    with app.app_context():
        member = make_user(username="bob", email="bob@example.org", password=PASSWORD)
        db.session.refresh(member)
        db.session.expunge(member)
    return member


@pytest.fixture
def admin(app):
    with app.app_context():
        boss = make_user(username="boss", email="boss@example.org", is_admin=True)
        db.session.refresh(boss)
        db.session.expunge(boss)
    return boss
