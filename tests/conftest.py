"""Shared fixtures. The database is SQLite unless TEST_DATABASE_URL names another.

The schema comes from the migrations, as in production. Every test gets a fresh app: on
SQLite with its own copy of a migrated database file; on a server database, which keeps
its schema between tests, with the rows deleted after each test.
"""

import os
import shutil
from itertools import count

import flask_migrate
import pytest
import sqlalchemy as sa

from app import create_app
from app.extensions import db
from config import database_url
from tests.factories import make_user


def pytest_report_header(config):
    return f"database: {os.environ.get('TEST_DATABASE_URL') or 'SQLite files'}"


def pytest_sessionfinish(session, exitstatus):
    # In CI a skipped test is a test that did not run: fail the run instead of hiding it.
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = len(reporter.stats.get("skipped", [])) if reporter else 0
    if os.environ.get("CI") and skipped and exitstatus == 0:
        reporter.write_line(f"CI allows no skipped tests; {skipped} skipped.", red=True)
        session.exitstatus = 1


SERVER_DATABASE_URL = database_url(os.environ.get("TEST_DATABASE_URL"))


def delete_all_rows() -> None:
    for table in reversed(db.metadata.sorted_tables):
        # MariaDB checks a table's links to itself row by row: unlink them first.
        for key in table.foreign_keys:
            if key.column.table is table:
                db.session.execute(table.update().values({key.parent.name: None}))
        db.session.execute(table.delete())
    db.session.commit()


def drop_everything(engine: sa.Engine) -> None:
    """Empty a server database of every table, migrated or not."""
    tables = sa.MetaData()
    tables.reflect(engine)
    tables.drop_all(engine)


def migrate_to_head(url: str) -> None:
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        flask_migrate.upgrade()
        db.engine.dispose()


@pytest.fixture(scope="session")
def migrated_database(tmp_path_factory) -> str:
    """The schema as the migrations build it, once per run: in the server database, or in
    a SQLite file that each test gets a copy of."""
    url = SERVER_DATABASE_URL or f"sqlite:///{tmp_path_factory.mktemp('schema') / 'head.db'}"
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        drop_everything(db.engine)
        db.engine.dispose()
    migrate_to_head(url)
    return url


@pytest.fixture
def fresh_database(migrated_database, tmp_path):
    """fresh_database() -> the URL of a migrated database with no rows in it."""
    copies = count()

    def fresh() -> str:
        if SERVER_DATABASE_URL:
            return SERVER_DATABASE_URL
        copy = tmp_path / f"board-{next(copies)}.db"
        shutil.copyfile(sa.make_url(migrated_database).database, copy)
        return f"sqlite:///{copy}"

    return fresh


def dispose(app, clean: bool = True) -> None:
    with app.app_context():
        db.session.remove()
        if clean and db.engine.dialect.name != "sqlite":
            delete_all_rows()
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def app(fresh_database):
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=fresh_database())
    yield app
    dispose(app)


@pytest.fixture
def app_factory(fresh_database):
    """Build an app with config overrides; cleaned up like the `app` fixture.

    Each app gets a fresh migrated database unless the overrides name one: that one is
    migrated too, unless `create_schema=False` (for a database that cannot be reached).
    """
    made = []

    def factory(create_schema: bool = True, **overrides):
        if "SQLALCHEMY_DATABASE_URI" not in overrides:
            overrides["SQLALCHEMY_DATABASE_URI"] = fresh_database()
        elif create_schema:
            migrate_to_head(overrides["SQLALCHEMY_DATABASE_URI"])
        app = create_app("testing", **overrides)
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


def detached_member(app, **fields):
    """A stored member, detached: read its attributes, don't lazy-load through it."""
    with app.app_context():
        member = make_user(password=PASSWORD, **fields)
        db.session.refresh(member)
        db.session.expunge(member)
    return member


@pytest.fixture
def user(app):
    return detached_member(app, username="alice", email="alice@example.org")


@pytest.fixture
def other_user(app):
    return detached_member(app, username="bob", email="bob@example.org")


@pytest.fixture
def admin(app):
    return detached_member(app, username="boss", email="boss@example.org", is_admin=True)
