"""add full-text search

One structure per database, none of them described by the models (migrations/env.py
leaves them out of `flask db check`):
- SQLite: FTS5 tables with external content, kept in sync by triggers. A later batch
  migration that rebuilds `feedback` or `notes` drops these triggers and must recreate them.
- PostgreSQL: GIN indexes on the same to_tsvector expression app/search.py queries.
- MariaDB/MySQL: FULLTEXT indexes.

Revision ID: e4f1a2b3c5d6
Revises: 9a7c3e1f5b28
Create Date: 2026-11-22 03:55:00.000000

"""

from alembic import op

revision = "e4f1a2b3c5d6"
down_revision = "9a7c3e1f5b28"
branch_labels = None
depends_on = None

# table: the columns searched, in the order the search code expects
SEARCHED = {"feedback": ("name", "message"), "notes": ("title", "content")}


def sqlite_upgrade(table: str, columns: tuple[str, str]) -> None:
    fts = f"{table}_fts"
    names = ", ".join(columns)
    new = ", ".join(f"new.{column}" for column in columns)
    old = ", ".join(f"old.{column}" for column in columns)
    remove = f"INSERT INTO {fts}({fts}, rowid, {names}) VALUES ('delete', old.id, {old});"
    add = f"INSERT INTO {fts}(rowid, {names}) VALUES (new.id, {new});"
    op.execute(
        f"CREATE VIRTUAL TABLE {fts} USING fts5({names}, content='{table}', "
        "content_rowid='id', tokenize='unicode61 remove_diacritics 2')"
    )
    op.execute(f"CREATE TRIGGER {fts}_insert AFTER INSERT ON {table} BEGIN {add} END")
    op.execute(f"CREATE TRIGGER {fts}_delete AFTER DELETE ON {table} BEGIN {remove} END")
    op.execute(
        f"CREATE TRIGGER {fts}_update AFTER UPDATE OF {names} ON {table} BEGIN {remove} {add} END"
    )
    op.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")


def sqlite_downgrade(table: str) -> None:
    for event in ("insert", "delete", "update"):
        op.execute(f"DROP TRIGGER IF EXISTS {table}_fts_{event}")
    op.execute(f"DROP TABLE IF EXISTS {table}_fts")


def upgrade():
    dialect = op.get_bind().dialect.name
    for table, (first, second) in SEARCHED.items():
        if dialect == "sqlite":
            sqlite_upgrade(table, (first, second))
        elif dialect == "postgresql":
            op.execute(
                f"CREATE INDEX ix_search_{table} ON {table} "
                f"USING gin (to_tsvector('english', {first} || ' ' || {second}))"
            )
        elif dialect in ("mysql", "mariadb"):
            op.execute(f"CREATE FULLTEXT INDEX ix_search_{table} ON {table} ({first}, {second})")


def downgrade():
    dialect = op.get_bind().dialect.name
    for table in SEARCHED:
        if dialect == "sqlite":
            sqlite_downgrade(table)
        elif dialect == "postgresql":
            op.execute(f"DROP INDEX ix_search_{table}")
        elif dialect in ("mysql", "mariadb"):
            op.execute(f"DROP INDEX ix_search_{table} ON {table}")
