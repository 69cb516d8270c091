"""Registering, signing in and out, and where sign-in sends people afterwards."""

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher

from app.auth.routes import is_safe_path
from app.extensions import db
from app.models import Feedback, User
from tests.conftest import PASSWORD

REGISTRATION = {
    "username": "carol",
    "email": "Carol@Example.org",
    "password": "long enough",
    "password2": "long enough",
}


def users(app) -> list[User]:
    with app.app_context():
        return db.session.scalars(sa.select(User)).all()


def test_register_signs_the_new_member_in(app, client):
    response = client.post("/auth/register", data=REGISTRATION)
    assert response.status_code == 302
    [carol] = users(app)
    assert carol.username == "carol"
    assert carol.email == "carol@example.org"
    assert "long enough" not in carol.password_hash
    assert carol.password_hash.startswith("$argon2id$")
    assert not carol.is_admin
    page = client.get(response.headers["Location"]).text
    assert "Welcome to Corkboard, carol!" in page
    assert "Log out carol" in page


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("username", "ab", "between 3 and 32 characters"),
        ("username", "a" * 33, "between 3 and 32 characters"),
        ("username", "has space", "Use only letters, digits"),
        ("username", "émile", "Use only letters, digits"),
        ("username", "name\x00", "Use only letters, digits"),
        ("username", "   ", "This field is required."),
        ("email", "not-an-email", "must have an @-sign"),
        ("email", "a@b", "It should have a period."),
        ("email", "", "This field is required."),
        ("password", "short", "Use at least 8"),
        ("password", "        ", "This field is required."),
        ("password2", "different!", "The passwords do not match."),
    ],
)
def test_invalid_registration_is_refused_beside_the_field(app, client, field, value, error):
    data = REGISTRATION | {field: value}
    if field == "password":
        data["password2"] = value
    response = client.post("/auth/register", data=data)
    assert response.status_code == 422
    assert error in response.text
    assert f'id="{field}-error"' in response.text
    assert users(app) == []


@pytest.mark.parametrize(
    "overrides",
    [
        {"username": "ALICE"},
        {"username": "Alice"},
        {"email": "ALICE@example.org"},
    ],
)
def test_usernames_and_emails_are_unique_ignoring_case(app, client, user, overrides):
    data = REGISTRATION | {"username": "alice2", "email": "new@example.org"} | overrides
    response = client.post("/auth/register", data=data)
    assert response.status_code == 422
    assert "taken" in response.text or "already exists" in response.text
    assert len(users(app)) == 1


def test_the_database_enforces_case_insensitive_usernames(app, user):
    with app.app_context():
        db.session.add(User(username="ALICE", email="x@example.org", password=PASSWORD))
        with pytest.raises(sa.exc.IntegrityError):
            db.session.commit()
        db.session.rollback()


@pytest.mark.parametrize("login_as", ["alice", "ALICE", "alice@example.org", "Alice@Example.org"])
def test_login_with_username_or_email(client, auth, user, login_as):
    response = auth.login(login_as)
    assert response.status_code == 302
    assert "Log out alice" in client.get("/").text


def test_wrong_password_and_unknown_user_look_the_same(client, auth, user):
    wrong = auth.login("alice", "not the password")
    unknown = auth.login("nobody", "not the password")
    assert wrong.status_code == unknown.status_code == 422
    assert "Wrong username/email or password." in wrong.text
    assert "Wrong username/email or password." in unknown.text
    assert "Log out" not in client.get("/").text


def test_blank_login_is_refused(client, auth, user):
    response = auth.login("  ", "  ")
    assert response.status_code == 422
    assert "This field is required." in response.text


def test_logout_needs_a_post(client, auth, user):
    auth.login("alice")
    assert client.get("/auth/logout").status_code == 405
    assert "Log out alice" in client.get("/").text
    response = auth.logout()
    assert response.status_code == 302
    assert "Log out" not in client.get("/").text


def test_logout_ends_copies_of_the_session(app, client, auth, user):
    auth.login("alice", remember="y")
    copied = app.test_client()
    for cookie in client._cookies.values():
        copied.set_cookie(cookie.key, cookie.value, domain=cookie.domain, path=cookie.path)
    assert "Log out alice" in copied.get("/").text

    auth.logout()
    assert "Log out" not in copied.get("/").text
    assert copied.get("/notes/mine").status_code == 302


def test_login_starts_a_fresh_session(app, client, auth, user):
    with client.session_transaction() as session:
        session["planted"] = "by someone else"
    auth.login("alice")
    with client.session_transaction() as session:
        assert "planted" not in session


@pytest.mark.parametrize("target", ["/notes/mine", "/feedback/?page=2", "/notes/%E2%9C%93"])
def test_login_follows_a_safe_next(client, auth, user, target):
    response = client.post(
        f"/auth/login?next={target}", data={"username": "alice", "password": PASSWORD}
    )
    assert response.headers["Location"] == target


UNSAFE_NEXT = [
    "https://evil.example",
    "http:evil.example",
    "https:evil.example",
    "//evil.example",
    "///evil.example",
    "////evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "\\/evil.example",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "%2F%2Fevil.example",
    "/%2F/evil.example",
    "/%5Cevil.example",
    "%2F%5Cevil.example",
    "/%252F%252Fevil.example",
    "javascript%3Aalert(1)",
    "/\tevil",
    "/\r\nSet-Cookie:x=1",
    "notes/mine",
    "",
]


@pytest.mark.parametrize("target", UNSAFE_NEXT)
def test_unsafe_next_is_ignored(target):
    assert not is_safe_path(target)


@pytest.mark.parametrize("target", ["//evil.example", "https://evil.example", "/%2F/evil"])
def test_login_ignores_an_unsafe_next(client, auth, user, target):
    response = client.post(
        "/auth/login",
        query_string={"next": target},
        data={"username": "alice", "password": PASSWORD},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_protected_page_sends_visitors_to_login_and_back(client, auth, user):
    response = client.get("/notes/mine")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login?next=")
    back = client.post(
        response.headers["Location"], data={"username": "alice", "password": PASSWORD}
    )
    assert back.headers["Location"] == "/notes/mine"


def test_members_feedback_is_prefilled_and_linked_to_them(app, client, auth, user):
    auth.login("alice")
    assert 'value="alice"' in client.get("/feedback/new").text
    client.post("/feedback/new", data={"name": "Alice L.", "message": "Signed in"})
    with app.app_context():
        [item] = db.session.scalars(sa.select(Feedback)).all()
        assert item.author_id == user.id
        assert item.name == "Alice L."


def test_visitors_feedback_has_no_author(app, client):
    client.post("/feedback/new", data={"name": "Anon", "message": "Hi"})
    with app.app_context():
        [item] = db.session.scalars(sa.select(Feedback)).all()
        assert item.author_id is None


@pytest.mark.parametrize("field", ["username", "password"])
def test_nul_in_login_is_refused_not_a_server_error(client, user, field):
    data = {"username": "alice", "password": PASSWORD} | {field: "ali\x00ce"}
    response = client.post("/auth/login", data=data)
    assert response.status_code == 422
    assert "Remove the NUL character" in response.text


# What a second connection runs to take, without waiting, the lock a writer of `users` needs:
# SQLite's write lock on the whole database; on PostgreSQL and MariaDB the table itself, which
# a transaction that has read it holds shared until it ends.
LOCK_USERS = {
    "sqlite": ["PRAGMA busy_timeout = 0", "BEGIN IMMEDIATE", "UPDATE users SET id = id"],
    "postgresql": ["LOCK TABLE users IN ACCESS EXCLUSIVE MODE NOWAIT"],
    "mysql": ["LOCK TABLES users WRITE NOWAIT", "UNLOCK TABLES"],
}


def another_connection_can_lock_users(url: str) -> bool:
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    connection = engine.raw_connection()
    try:
        cursor = connection.cursor()
        for statement in LOCK_USERS[engine.dialect.name]:
            cursor.execute(statement)
        return True
    except engine.dialect.loaded_dbapi.OperationalError:  # locked, or the lock wait timed out
        return False
    finally:
        connection.rollback()
        connection.close()
        engine.dispose()


@pytest.fixture
def writers_while_hashing(app, monkeypatch):
    """A list that gets, each time the app hashes or checks a password, whether another
    connection could take the write lock on users meanwhile."""
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    seen: list[bool] = []

    def watch(original):
        def watched(self, *args, **kwargs):
            seen.append(another_connection_can_lock_users(url))
            return original(self, *args, **kwargs)

        return watched

    for name in ("hash", "verify"):
        monkeypatch.setattr(PasswordHasher, name, watch(getattr(PasswordHasher, name)))
    return seen


@pytest.mark.parametrize(
    ("username", "password", "status"),
    [("alice", PASSWORD, 302), ("alice", "not the password", 422), ("nobody", PASSWORD, 422)],
)
def test_other_writers_need_not_wait_while_a_login_checks_the_password(
    auth, user, writers_while_hashing, username, password, status
):
    assert auth.login(username, password).status_code == status
    assert writers_while_hashing == [True]


def test_other_writers_need_not_wait_while_a_sign_up_hashes_the_password(
    app, client, writers_while_hashing
):
    assert client.post("/auth/register", data=REGISTRATION).status_code == 302
    assert writers_while_hashing == [True]
    assert [carol.username for carol in users(app)] == ["carol"]
