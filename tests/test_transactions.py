"""How requests hold the database: each in one transaction, which on SQLite takes the
write lock up front only when the request may write."""

from contextlib import nullcontext

import pytest
import sqlalchemy as sa
from psycopg.pq import TransactionStatus

from app.extensions import db
from app.models import Feedback, utcnow


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


def another_connection_can_write(app) -> bool:
    """Whether a second connection, waiting for no lock, can store a row right now."""
    engine = sa.create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    if engine.dialect.name == "sqlite":
        engine = sa.create_engine(engine.url, connect_args={"timeout": 0})
    try:
        with engine.begin() as connection:
            connection.execute(
                sa.insert(Feedback), {"name": "x", "message": "y", "created_at": utcnow()}
            )
        return True
    except sa.exc.OperationalError:
        return False
    finally:
        engine.dispose()


@pytest.mark.parametrize("method", ["GET", "POST", "PUT", "DELETE"])
def test_every_request_reads_in_a_transaction(app, method):
    with app.test_request_context("/feedback/new", method=method):
        assert in_transaction()
        db.session.rollback()


def test_page_reads_leave_the_write_lock_to_writers(app):
    with app.test_request_context("/feedback/", method="GET"):
        in_transaction()
        assert another_connection_can_write(app)
        db.session.rollback()


def test_requests_that_may_write_take_sqlite_write_lock_when_they_begin(app):
    with app.test_request_context("/feedback/new", method="POST"):
        in_transaction()
        # Elsewhere writers wait (SQLite) or go ahead (server databases lock rows, not files).
        assert another_connection_can_write(app) is (db.engine.dialect.name != "sqlite")
        db.session.rollback()


@pytest.mark.parametrize("method", [None, "GET", "POST"])
def test_a_connection_asked_for_autocommit_keeps_it(app, method):
    # What `flask seed` (VACUUM, ANALYZE) and the benchmark (CREATE DATABASE) rely on.
    context = app.test_request_context("/", method=method) if method else nullcontext()
    with context, app.app_context(), db.engine.connect() as connection:
        connection.execution_options(isolation_level="AUTOCOMMIT")
        assert not reads_in_transaction(connection)
