"""Flask extensions, created unbound; `create_app` binds them to an app."""

import sqlite3
import time

import psycopg
from flask import has_request_context, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import DeclarativeBase, Session
from sqlalchemy.pool import Pool

# Named constraints are what batch migrations on SQLite and downgrades need.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


@event.listens_for(Engine, "connect")
def configure_sqlite(dbapi_connection, connection_record) -> None:
    """SQLite leaves foreign keys off and fails at once on a lock unless told otherwise.

    WAL lets readers carry on while one writer writes; busy_timeout makes a second writer
    wait for the lock instead of failing with "database is locked".
    """
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    dbapi_connection.isolation_level = None  # begin_sqlite_transaction issues BEGIN itself
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA busy_timeout = 5000")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.close()


def reading_request() -> bool:
    """Whether the current request only reads (requests must not write on GET)."""
    return has_request_context() and request.method in ("GET", "HEAD", "OPTIONS")


@event.listens_for(Engine, "begin")
def begin_sqlite_transaction(connection) -> None:
    """Requests that may write take SQLite's write lock when their transaction begins.

    A deferred transaction that reads and then writes cannot wait for the lock in WAL mode:
    SQLite fails it with "database is locked" at once. Taking the lock up front makes
    concurrent writers queue (up to busy_timeout) instead. GET requests issue no BEGIN:
    each of their reads is a transaction of its own, as on PostgreSQL below. Neither do
    connections given `execution_options(isolation_level="AUTOCOMMIT")`.
    """
    if connection.dialect.name != "sqlite" or reading_request():
        return
    if connection.get_execution_options().get("isolation_level") != "AUTOCOMMIT":
        connection.exec_driver_sql("BEGIN IMMEDIATE")


# A pooled connection used less than this many seconds ago is handed out without a ping.
PING_AFTER_IDLE_SECONDS = 1.0


@event.listens_for(Pool, "checkin")
def note_when_idle(dbapi_connection, connection_record) -> None:
    connection_record.info["idle_since"] = time.monotonic()


@event.listens_for(Pool, "checkout")
def ping_idle_connection(dbapi_connection, connection_record, proxy) -> None:
    """Check that a database server still holds a connection that sat idle, so the app
    recovers by itself after the server restarts; a failed ping makes the pool connect
    afresh. Like pool_pre_ping, but a connection that served a request a moment ago is
    trusted: a ping per request was a round trip as costly as a list page's query.
    (Should the server go away within that moment, the request fails with a 503 and the
    pool replaces every connection.)
    """
    idle_since = connection_record.info.get("idle_since")
    if isinstance(dbapi_connection, sqlite3.Connection) or idle_since is None:
        return  # a file needs no ping; a new connection was just made
    if time.monotonic() - idle_since < PING_AFTER_IDLE_SECONDS:
        return
    try:
        cursor = dbapi_connection.cursor()
        cursor.execute("SELECT 1")
        cursor.close()
        dbapi_connection.rollback()  # the ping may have begun a transaction
    except Exception as error:  # whatever the driver raises for a lost connection
        raise DisconnectionError(f"stale connection: {error}") from error


@event.listens_for(Pool, "checkout")
def read_postgresql_without_transaction(dbapi_connection, connection_record, proxy) -> None:
    """On PostgreSQL, GET requests read in autocommit mode: no BEGIN and no ROLLBACK, two
    round trips fewer on every page. Everything else runs in a transaction as usual."""
    if (
        isinstance(dbapi_connection, psycopg.Connection)
        and reading_request()
        and not dbapi_connection.autocommit  # already is: leave it as its owner wants it
    ):
        dbapi_connection.autocommit = True
        connection_record.info["reading"] = True


@event.listens_for(Pool, "checkin")
def end_postgresql_read(dbapi_connection, connection_record) -> None:
    if connection_record.info.pop("reading", False) and dbapi_connection is not None:
        dbapi_connection.autocommit = False


@event.listens_for(Session, "before_flush")
def refuse_writes_while_reading(session, flush_context, instances) -> None:
    """GET requests must not write; they read outside a transaction, so a write there could
    not be rolled back with the rest of the request. Refuse it loudly instead."""
    if reading_request():
        raise RuntimeError(f"a {request.method} request tried to write to the database")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
csrf = CSRFProtect()
login_manager = LoginManager()
limiter = Limiter(key_func=get_remote_address)
