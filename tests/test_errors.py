"""Error pages: every failure is a clear page in the site layout, never a traceback."""

import pytest
import sqlalchemy as sa
from flask import abort
from flask_login import current_user
from markupsafe import escape

from app.extensions import db
from app.models import Feedback, Note, User
from tests.conftest import PASSWORD, Auth
from tests.factories import make_user
from tests.test_feedback import VALID, stored


def assert_site_page(response, code, text):
    assert response.status_code == code
    assert response.mimetype == "text/html"
    page = response.text
    assert text in page
    assert "<main" in page and "<nav" in page  # the site layout
    assert "Traceback" not in page


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("DELETE", "/feedback/new"),
        ("PUT", "/feedback/"),
        ("POST", "/feedback/"),
        ("POST", "/"),
        ("POST", "/healthz"),
    ],
)
def test_wrong_method_is_a_405_page_with_allow(client, method, path):
    response = client.open(path, method=method)
    assert_site_page(response, 405, "Method not allowed")
    assert "GET" in response.headers["Allow"]


def test_oversized_body_is_a_413_page(app, client):
    response = client.post("/feedback/new", data=VALID | {"message": "x" * (3 * 1024 * 1024)})
    assert_site_page(response, 413, "Too large")
    assert stored(app) == []


def test_bad_request_is_a_400_page(app, client):
    @app.get("/boom-400")
    def boom():
        abort(400)

    assert_site_page(client.get("/boom-400"), 400, "Bad request")


def test_unexpected_error_is_a_500_page_and_the_session_is_rolled_back(app_factory):
    app = app_factory(PROPAGATE_EXCEPTIONS=False)

    @app.post("/boom")
    def boom():
        db.session.add(Feedback(name="half", message="stored?"))
        db.session.flush()
        raise RuntimeError("secret internals")

    client = app.test_client()
    response = client.post("/boom")
    assert_site_page(response, 500, "Something broke")
    assert "secret internals" not in response.text
    assert stored(app) == []
    # The same worker serves the next request normally.
    assert client.post("/feedback/new", data=VALID).status_code == 302
    assert len(stored(app)) == 1


def test_csrf_token_is_required_when_enabled(app_factory):
    app = app_factory(WTF_CSRF_ENABLED=True)
    client = app.test_client()

    missing = client.post("/feedback/new", data=VALID)
    assert_site_page(missing, 400, "This form had expired")

    client.get("/feedback/new")  # starts a session with a real token
    wrong = client.post("/feedback/new", data=VALID | {"csrf_token": "forged"})
    assert_site_page(wrong, 400, "This form had expired")
    assert stored(app) == []

    page = client.get("/feedback/new").text
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    assert client.post("/feedback/new", data=VALID | {"csrf_token": token}).status_code == 302
    assert len(stored(app)) == 1


def test_unreachable_database_is_a_503_page_and_health_stays_up(app_factory, tmp_path):
    missing = tmp_path / "no-such-dir" / "board.db"
    app = app_factory(create_schema=False, SQLALCHEMY_DATABASE_URI=f"sqlite:///{missing}")
    client = app.test_client()

    response = client.get("/feedback/")
    assert_site_page(response, 503, "Temporarily unavailable")
    assert response.headers["Retry-After"].isdigit()
    assert client.get("/readyz").status_code == 503
    health = client.get("/healthz")
    assert health.status_code == 200 and health.text == "ok"


def test_health_answers_without_the_database(client, sql_statements):
    response = client.get("/healthz")
    assert (response.status_code, response.text) == (200, "ok")
    assert sql_statements == []


def test_a_failed_write_does_not_poison_the_next_request(app_factory):
    app = app_factory(PROPAGATE_EXCEPTIONS=False)

    @app.post("/duplicate")
    def duplicate():
        for _ in range(2):
            db.session.add(User(username="twin", email="twin@example.org", password="x" * 8))
        db.session.commit()  # IntegrityError: the second twin breaks the unique constraint
        return "stored"

    client = app.test_client()
    assert client.post("/duplicate").status_code == 500
    assert client.post("/feedback/new", data=VALID).status_code == 302
    assert client.get("/feedback/").status_code == 200
    assert len(stored(app)) == 1


def test_a_connection_dropped_while_idle_is_replaced_before_use(app, client):
    """The server may drop a pooled connection (a restart, an idle timeout): the next
    request must still be served, on a new connection."""
    assert client.get("/feedback/").status_code == 200
    with app.app_context():
        connection = db.engine.raw_connection()
        dialect = db.engine.dialect.name
        if dialect == "sqlite":
            connection.dbapi_connection.close()  # as good as dropped
            connection.close()
        else:
            cursor = connection.cursor()
            cursor.execute(
                "SELECT pg_backend_pid()" if dialect == "postgresql" else "SELECT CONNECTION_ID()"
            )
            pid = cursor.fetchone()[0]
            cursor.close()
            connection.close()  # back to the pool, where the server drops it
            admin = sa.create_engine(db.engine.url)
            kill = "SELECT pg_terminate_backend(:pid)" if dialect == "postgresql" else "KILL :pid"
            with admin.connect() as session:
                session.execute(sa.text(kill), {"pid": pid})
            admin.dispose()
    assert client.get("/feedback/").status_code == 200


def test_a_read_only_sqlite_database_still_serves_reads(app_factory, tmp_path):
    path = tmp_path / "board.db"
    writer = app_factory(SQLALCHEMY_DATABASE_URI=f"sqlite:///{path}")
    writer.test_client().post("/feedback/new", data=VALID | {"message": "Written earlier"})
    with writer.app_context():
        db.engine.dispose()

    reader = app_factory(
        create_schema=False, SQLALCHEMY_DATABASE_URI=f"sqlite:///file:{path}?mode=ro&uri=true"
    )
    client = reader.test_client()
    assert "Written earlier" in client.get("/feedback/").text
    refused = client.post("/feedback/new", data=VALID)
    assert_site_page(refused, 503, "Temporarily unavailable")
    assert "Written earlier" in client.get("/feedback/").text


@pytest.mark.parametrize("path", ["/feedback/", "/notes/mine", "/"])
def test_a_signed_in_member_gets_the_503_page_while_the_database_is_down(
    app_factory, tmp_path, path
):
    """The error page must not ask the database for the member again."""
    folder = tmp_path / "data"
    folder.mkdir()
    app = app_factory(SQLALCHEMY_DATABASE_URI=f"sqlite:///{folder / 'board.db'}")
    with app.app_context():
        make_user(username="alice", password=PASSWORD)
    client = app.test_client()
    Auth(client).login("alice")
    assert "Log out alice" in client.get(path).text

    with app.app_context():
        db.engine.dispose()
    folder.rename(tmp_path / "gone")  # new connections now fail: as good as a dead server
    response = client.get(path)
    assert_site_page(response, 503, "Temporarily unavailable")

    (tmp_path / "gone").rename(folder)
    assert "Log out alice" in client.get(path).text  # and it recovers by itself


def test_a_member_loaded_before_the_database_failed_still_shows_as_signed_in(app_factory, tmp_path):
    app = app_factory(PROPAGATE_EXCEPTIONS=False)
    with app.app_context():
        make_user(username="alice", password=PASSWORD)

    @app.get("/fails-late")
    def fails_late():
        assert current_user.is_authenticated
        raise sa.exc.OperationalError("SELECT 1", {}, Exception("server closed the connection"))

    client = app.test_client()
    Auth(client).login("alice")
    response = client.get("/fails-late")
    assert_site_page(response, 503, "Temporarily unavailable")
    assert "Log out alice" in response.text


def test_a_stale_csrf_token_keeps_what_was_typed(app_factory, count_rows):
    """Signed out in another tab, a member sends a long note: the 400 page gives the
    text back to copy (never the password), and nothing is stored."""
    app = app_factory(WTF_CSRF_ENABLED=True)
    with app.app_context():
        make_user(username="alice", password=PASSWORD)
    client = app.test_client()
    long_text = "Chapter one.\n\n" + "Every word of it <matters> & counts. " * 300
    response = client.post(
        "/notes/new",
        data={"title": "My draft", "content": long_text, "visibility": "private",
              "csrf_token": "stale", "password": "never shown"},
    )  # fmt: skip
    assert_site_page(response, 400, "This form had expired")
    assert "Nothing was saved" in response.text
    assert "My draft" in response.text
    assert escape(long_text) in response.text
    assert "never shown" not in response.text and "stale" not in response.text
    assert count_rows(Note) == 0
