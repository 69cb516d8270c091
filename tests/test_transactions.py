"""How requests hold the database: writes in a transaction, page reads without one on
SQLite and PostgreSQL (on PostgreSQL each BEGIN and ROLLBACK is a round trip)."""

from contextlib import nullcontext

import pytest
import sqlalchemy as sa
from psycopg.pq import TransactionStatus

from app.extensions import db
from app.models import Feedback


def in_transaction() -> bool:
    """Whether the session's connection is inside a transaction after it has read."""
    return reads_in_transaction(db.session.connection())


def reads_in_transaction(connection: sa.Connection) -> bool:
    connection.execute(sa.text("SELECT id FROM feedback LIMIT 1"))
    dbapi_connection = connection.connection.dbapi_connection
    if connection.dialect.name == "postgresql":
        return dbapi_connection.info.transaction_status != TransactionStatus.IDLE
    if connection.dialect.name == "sqlite":
        return dbapi_connection.in_transaction
    return bool(connection.execute(sa.text("SELECT @@in_transaction")).scalar())


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE"])
def test_requests_that_may_write_run_in_a_transaction(app, method):
    with app.test_request_context("/feedback/new", method=method):
        assert in_transaction()
        db.session.rollback()


def test_page_reads_skip_the_transaction_on_sqlite_and_postgresql(app):
    with app.test_request_context("/feedback/", method="GET"):
        autocommit = db.engine.dialect.name in ("sqlite", "postgresql")
        assert in_transaction() is not autocommit
        db.session.rollback()


def test_a_connection_that_served_a_read_writes_in_a_transaction_again(app):
    # The pool hands the same connection to the next request: its mode must follow.
    with app.test_request_context("/feedback/", method="GET"):
        in_transaction()
        db.session.close()
    with app.test_request_context("/feedback/new", method="POST"):
        assert in_transaction()
        db.session.rollback()


@pytest.mark.parametrize("method", [None, "GET", "POST"])
def test_a_connection_asked_for_autocommit_keeps_it(app, method):
    # What `flask seed` (VACUUM, ANALYZE) and the benchmark (CREATE DATABASE) rely on.
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    engine = sa.create_engine(url)
    context = app.test_request_context("/", method=method) if method else nullcontext()
    with context, engine.connect() as connection:
        connection.execution_options(isolation_level="AUTOCOMMIT")
        assert not reads_in_transaction(connection)
    engine.dispose()
    if engine.dialect.name == "sqlite":
        return  # SQLite's BEGIN IMMEDIATE hook sees only the per-connection setting
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with context, engine.connect() as connection:
        assert not reads_in_transaction(connection)
    engine.dispose()


def test_a_get_request_that_tries_to_write_fails_and_stores_nothing(app_factory):
    app = app_factory(PROPAGATE_EXCEPTIONS=False)

    @app.get("/careless")
    def careless():
        db.session.add(Feedback(name="careless", message="written on GET"))
        db.session.commit()
        return "stored"

    assert app.test_client().get("/careless").status_code == 500
    with app.app_context():
        assert db.session.scalars(sa.select(Feedback)).all() == []
