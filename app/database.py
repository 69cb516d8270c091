"""How the app holds its database: SQLAlchemy's defaults, plus what SQLite needs.

SQLite leaves foreign keys off, fails at once on a lock, and by default lets its Python
driver decide when transactions begin. SQLAlchemy documents taking that decision back
("Serializable isolation / Savepoints / Transactional DDL" in its SQLite dialect notes):
the driver is told to stay out of it and the engine's "begin" event issues BEGIN itself.
"""

import sqlite3

from flask import Flask, has_request_context, request
from sqlalchemy import event

from app.extensions import db

# Requests that only read; every other one may write.
READING_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def register_database(app: Flask) -> None:
    with app.app_context():
        engine = db.engine
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", configure_sqlite)
        event.listen(engine, "begin", begin_sqlite_transaction)


def configure_sqlite(dbapi_connection: sqlite3.Connection, connection_record) -> None:
    """WAL lets readers carry on while one writer writes; busy_timeout makes a second
    writer wait for the lock instead of failing with "database is locked"."""
    dbapi_connection.isolation_level = None  # begin_sqlite_transaction issues BEGIN
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA busy_timeout = 5000")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.close()


def begin_sqlite_transaction(connection) -> None:
    """Transactions that may write take SQLite's write lock when they begin.

    A deferred transaction that reads and then writes cannot wait for the lock in WAL
    mode: SQLite fails it with "database is locked" at once. Taking the lock up front makes
    concurrent writers queue (up to busy_timeout) instead. Page reads begin a deferred
    transaction, which sees one snapshot and blocks nobody. Connections asked for
    AUTOCOMMIT (VACUUM, checkpoints) get no transaction at all.
    """
    if connection.get_execution_options().get("isolation_level") == "AUTOCOMMIT":
        return
    reading = has_request_context() and request.method in READING_METHODS
    connection.exec_driver_sql("BEGIN" if reading else "BEGIN IMMEDIATE")
