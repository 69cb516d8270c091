"""Migrations build, remove and rebuild the schema on every database, with no drift."""

from datetime import UTC, datetime

import flask_migrate
import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Feedback
from tests.conftest import SERVER_DATABASE_URL, delete_all_rows, drop_everything


@pytest.fixture
def empty_database(app_factory, tmp_path):
    """An app on a database with no tables at all: a file for SQLite, else the test server.

    Afterwards the server database is back at the newest migration, empty, for other tests.
    """
    url = SERVER_DATABASE_URL or f"sqlite:///{tmp_path / 'migrations.db'}"
    app = app_factory(create_schema=False, SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        drop_everything(db.engine)
    yield app
    with app.app_context():
        db.session.remove()
        flask_migrate.upgrade()
        delete_all_rows()


def table_names(app) -> set[str]:
    """The model tables present; search tables (SQLite's FTS5) are counted separately."""
    with app.app_context():
        names = set(sa.inspect(db.engine).get_table_names()) - {"alembic_version"}
    return {name for name in names if "_fts" not in name}


def search_structures(app) -> set[str]:
    """Names of the full-text search tables or indexes the database holds."""
    with app.app_context():
        inspector = sa.inspect(db.engine)
        names = {name for name in inspector.get_table_names() if name.endswith("_fts")}
        for table in ("feedback", "notes"):
            if table in inspector.get_table_names():
                indexes = inspector.get_indexes(table)
                names |= {
                    index["name"] for index in indexes if index["name"].startswith("ix_search")
                }
    return names


def flask_db(app, *args) -> None:
    result = app.test_cli_runner().invoke(args=["db", *args])
    assert result.exit_code == 0, result.output
    return result


def test_upgrade_downgrade_upgrade_and_no_drift(empty_database):
    app = empty_database
    flask_db(app, "upgrade")
    assert table_names(app) >= {"feedback"}

    assert len(search_structures(app)) == 2  # one for feedback, one for notes

    flask_db(app, "downgrade", "base")
    assert table_names(app) == set()
    assert search_structures(app) == set()

    flask_db(app, "upgrade")
    assert table_names(app) == {table.name for table in db.metadata.sorted_tables}
    assert len(search_structures(app)) == 2
    flask_db(app, "check")  # exits non-zero when models and migrations disagree


def test_check_notices_a_model_the_migrations_lack(empty_database):
    app = empty_database
    flask_db(app, "upgrade")
    extra = sa.Table("not_migrated", db.metadata, sa.Column("id", sa.Integer, primary_key=True))
    try:
        result = app.test_cli_runner().invoke(args=["db", "check"])
        assert result.exit_code != 0
    finally:
        db.metadata.remove(extra)


def test_feedback_rows_survive_the_upgrade_to_members_and_notes(empty_database):
    app = empty_database
    flask_db(app, "upgrade", "ca537cfcff18")  # the feedback board before accounts existed
    feedback = sa.table(
        "feedback",
        sa.column("name", sa.String),
        sa.column("message", sa.Text),
        sa.column("created_at", sa.DateTime),
    )
    rows = [
        {
            "name": f"Visitor {i}",
            "message": f"Message {i} 🎉",
            "created_at": datetime(2026, 1, 1, 0, i),
        }
        for i in range(30)
    ]
    with app.app_context(), db.engine.begin() as connection:
        connection.execute(feedback.insert(), rows)

    flask_db(app, "upgrade")
    with app.app_context():
        stored = db.session.scalars(sa.select(Feedback).order_by(Feedback.id)).all()
        assert [(item.name, item.message) for item in stored] == [
            (row["name"], row["message"]) for row in rows
        ]
        assert all(item.hidden is False and item.author_id is None for item in stored)
        assert stored[5].created_at == datetime(2026, 1, 1, 0, 5, tzinfo=UTC)
        db.session.remove()
    flask_db(app, "check")


def test_readiness_needs_the_newest_migration(empty_database):
    client = empty_database.test_client()
    missed = client.get("/readyz")
    assert missed.status_code == 503
    assert "flask db upgrade" in missed.text

    flask_db(empty_database, "upgrade", "ca537cfcff18")
    assert client.get("/readyz").status_code == 503

    flask_db(empty_database, "upgrade")
    ready = client.get("/readyz")
    assert (ready.status_code, ready.text) == (200, "ready")


# The newest revision before the portal's (votes, statuses, comments, tags, duplicates,
# manage links, notes from feedback).
BEFORE_THE_PORTAL = "c773e04b28e7"


def test_a_board_with_data_upgrades_to_the_portal(empty_database):
    """Rows in every table of the board before the portal come through the upgrade, the
    new columns take their defaults, and search still finds old and new items."""
    app = empty_database
    flask_db(app, "upgrade", BEFORE_THE_PORTAL)
    metadata = sa.MetaData()
    with app.app_context(), db.engine.begin() as connection:
        metadata.reflect(connection)
        users, feedback, notes = (metadata.tables[name] for name in ("users", "feedback", "notes"))
        now = datetime(2026, 11, 30, 12, 0)
        (member,) = connection.execute(
            users.insert().returning(users.c.id),
            [{"username": "Ann", "username_key": "ann", "email": "ann@example.org",
              "password_hash": "not-a-hash", "is_admin": False, "session_version": 1,
              "created_at": now}],
        ).scalars()  # fmt: skip
        connection.execute(
            feedback.insert(),
            [
                {"name": "Visitor", "message": "Old zebra feedback", "created_at": now,
                 "hidden": False, "author_id": None},
                {"name": "Ann", "message": "Held back", "created_at": now,
                 "hidden": True, "author_id": member},
            ],
        )  # fmt: skip
        connection.execute(
            notes.insert(),
            [{"title": "Old note", "content": "Old zebra note", "visibility": "public",
              "created_at": now, "updated_at": now, "author_id": member, "hidden": False}],
        )  # fmt: skip

    flask_db(app, "upgrade")
    flask_db(app, "check")
    with app.app_context():
        old, held = db.session.scalars(sa.select(Feedback).order_by(Feedback.id)).all()
        for item in (old, held):
            assert (item.status, item.vote_count, item.comment_count) == ("open", 0, 0)
            assert item.pending is False and item.duplicate_of_id is None
            assert item.manage_token_hash is None
        assert held.hidden is True
        db.session.remove()
    client = app.test_client()
    assert "Old <mark>zebra</mark> feedback" in client.get("/feedback/?q=zebra").text
    assert "Old note" in client.get("/notes/?q=zebra").text
    assert client.get("/feedback/?sort=top").status_code == 200
    client.post("/feedback/new", data={"name": "New", "message": "New zebra feedback"})
    assert "New <mark>zebra</mark> feedback" in client.get("/feedback/?q=zebra").text
