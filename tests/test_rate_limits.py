"""Rate limits: brute force and floods get a 429 with Retry-After, honest use does not."""

import contextlib
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher

from app.errors import readable_wait
from app.extensions import db, limiter
from app.models import Feedback
from tests.conftest import PASSWORD
from tests.factories import make_user


@pytest.fixture
def limited(app_factory):
    app = app_factory(RATELIMIT_ENABLED=True)
    with app.app_context():
        make_user(username="alice", email="alice@example.org", password=PASSWORD)
        db.session.remove()
    return app


def fail_login(client, username="alice", **headers):
    return client.post(
        "/auth/login", data={"username": username, "password": "wrong password"}, headers=headers
    )


WRONG_PASSWORD = "wrong password"


def login_from(client, address, username="alice", password=WRONG_PASSWORD):
    return client.post(
        "/auth/login",
        data={"username": username, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


def test_the_eleventh_login_attempt_from_an_address_in_a_minute_is_refused(limited):
    client = limited.test_client()
    for _ in range(10):
        assert fail_login(client).status_code == 422
    refused = fail_login(client)
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 0
    assert "Too many attempts to log in from your address" in refused.text
    assert "<main" in refused.text
    # Even the right password waits now: that is the point of the limit.
    right = client.post("/auth/login", data={"username": "alice", "password": PASSWORD})
    assert right.status_code == 429


def test_failed_logins_count_per_account_across_addresses(limited):
    client = limited.test_client()
    for n in range(10):
        client.environ_base["REMOTE_ADDR"] = f"10.0.0.{n}"
        assert fail_login(client).status_code == 422
    client.environ_base["REMOTE_ADDR"] = "10.0.1.1"
    assert fail_login(client).status_code == 429
    assert fail_login(client, username="someone-else").status_code == 422


def test_a_username_and_its_email_share_one_account_limit(limited):
    client = limited.test_client()
    for n in range(5):
        assert login_from(client, f"10.0.0.{n}", "alice").status_code == 422
        assert login_from(client, f"10.0.1.{n}", "Alice@Example.org").status_code == 422
    refused = login_from(client, "10.0.2.1", "ALICE")
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 0


def test_guesses_in_flight_together_never_exceed_the_account_limit(limited, monkeypatch):
    """Each guess starts while every earlier one is still checking its password: the worst
    interleaving parallel requests can have, made deterministic. Three addresses send six
    guesses each, so only the account's limit of ten can stop them."""
    guesses = [f"10.0.0.{n % 3}" for n in range(18)]
    statuses = Counter()
    checked = []

    def send_the_rest():
        while guesses:
            statuses[login_from(limited.test_client(), guesses.pop(0)).status_code] += 1

    original = PasswordHasher.verify

    def verify(self, *args, **kwargs):
        checked.append(True)
        send_the_rest()
        return original(self, *args, **kwargs)

    monkeypatch.setattr(PasswordHasher, "verify", verify)
    send_the_rest()
    assert statuses == {422: 10, 429: 8}
    assert len(checked) == 10


def test_a_locked_account_still_lets_its_owner_in_from_a_clean_address(limited):
    attacker = limited.test_client()
    for n in range(10):
        assert login_from(attacker, f"10.0.0.{n}").status_code == 422
    assert login_from(attacker, "10.0.0.1").status_code == 429

    owner = limited.test_client()
    response = login_from(owner, "192.0.2.1", "alice", PASSWORD)
    assert response.status_code == 302
    assert "Log out alice" in owner.get("/").text
    owner.post("/auth/logout")
    # The address has had its try while the account is locked: a wrong password waits.
    refused = login_from(owner, "192.0.2.1", "alice", "s3cret-typed-once")
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 0
    page = refused.get_data(as_text=True)
    assert 'value="alice"' in page and "s3cret-typed-once" not in page
    assert "Too many failed attempts to log in to that account. Wait" in page
    assert "Log out" not in owner.get("/").text


def test_a_clean_address_gets_one_wrong_guess_at_a_locked_account(limited):
    for n in range(10):
        login_from(limited.test_client(), f"10.0.0.{n}")
    guesser = limited.test_client()
    assert login_from(guesser, "198.51.100.7").status_code == 429
    # That address has now tried: even the right password waits for the window to pass.
    assert login_from(guesser, "198.51.100.7", "alice", PASSWORD).status_code == 429


def test_a_spoofed_forwarded_for_does_not_reset_the_limit(limited):
    client = limited.test_client()
    for n in range(10):
        fail_login(client, username=f"user{n}", **{"X-Forwarded-For": f"203.0.113.{n}"})
    response = fail_login(client, username="fresh", **{"X-Forwarded-For": "198.51.100.7"})
    assert response.status_code == 429


def test_successful_logins_count_per_address_but_never_lock_the_account(limited):
    client = limited.test_client()
    for _ in range(10):
        assert login_from(client, "10.0.0.1", "alice", PASSWORD).status_code == 302
        client.post("/auth/logout")
    assert login_from(client, "10.0.0.1", "alice", PASSWORD).status_code == 429
    for n in range(5):  # the account's count is spent, but its owner is not locked out
        assert login_from(client, f"10.0.1.{n}", "alice", PASSWORD).status_code == 302
        client.post("/auth/logout")


def test_feedback_floods_are_limited_by_config(app_factory):
    client = app_factory(RATELIMIT_ENABLED=True, RATELIMIT_FEEDBACK="3 per minute").test_client()
    for n in range(3):
        response = client.post("/feedback/new", data={"name": "Flood", "message": f"#{n}"})
        assert response.status_code == 302
    assert client.post("/feedback/new", data={"name": "F", "message": "4"}).status_code == 429
    assert client.get("/feedback/new").status_code == 200  # reading the form is not limited


def test_registration_is_limited(app_factory):
    client = app_factory(RATELIMIT_ENABLED=True, RATELIMIT_REGISTER="2 per hour").test_client()
    for n in range(3):
        client.post(
            "/auth/register",
            data={
                "username": f"new{n}",
                "email": f"new{n}@example.org",
                "password": PASSWORD,
                "password2": PASSWORD,
            },
        )
        client.post("/auth/logout")
    response = client.post("/auth/register", data={"username": "late"})
    assert response.status_code == 429


def test_a_refused_login_keeps_the_name_but_never_echoes_the_password(limited):
    client = limited.test_client()
    for _ in range(10):
        fail_login(client)
    refused = client.post(
        "/auth/login", data={"username": "alice", "password": "s3cret-typed-once"}
    )
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 0
    page = refused.get_data(as_text=True)
    assert "Too many attempts to log in from your address. Wait" in page
    assert 'value="alice"' in page
    assert "s3cret-typed-once" not in page


def test_a_refused_sign_up_keeps_what_was_typed(app_factory):
    client = app_factory(RATELIMIT_ENABLED=True, RATELIMIT_REGISTER="1 per hour").test_client()
    client.post("/auth/register", data={"username": "first"})
    refused = client.post(
        "/auth/register",
        data={
            "username": "Zoë",
            "email": "zoe@example.org",
            "password": "typed-once-only",
            "password2": "typed-once-only",
        },
    )
    assert refused.status_code == 429
    page = refused.get_data(as_text=True)
    assert "Too many sign-ups were tried from your address. Wait" in page
    assert 'value="Zoë"' in page and 'value="zoe@example.org"' in page
    assert "typed-once-only" not in page


def test_limits_can_be_turned_off(app_factory):
    app = app_factory(RATELIMIT_ENABLED=False)
    with app.app_context():
        make_user(username="alice", password=PASSWORD)
        db.session.remove()
    client = app.test_client()
    for _ in range(30):
        assert fail_login(client).status_code == 422
    assert login_from(client, "127.0.0.1", "alice", PASSWORD).status_code == 302


def test_refused_feedback_comes_back_with_what_was_typed(app_factory):
    app = app_factory(RATELIMIT_ENABLED=True, RATELIMIT_FEEDBACK="1 per minute")
    client = app.test_client()
    assert client.post("/feedback/new", data={"name": "First", "message": "one"}).status_code == 302
    refused = client.post(
        "/feedback/new", data={"name": "Ada Lovelace", "message": "Written with care <3 ✓"}
    )
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 0
    page = refused.get_data(as_text=True)
    assert 'value="Ada Lovelace"' in page
    assert "Written with care &lt;3 ✓</textarea>" in page
    assert "your message is still here" in page
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Feedback)) == 1


# Without a client timeout a request would wait for the frozen store as long as it holds the
# connection; it lets go after this long, so that such a run fails instead of hanging.
FROZEN_FOR_SECONDS = 10


@pytest.fixture
def frozen_store():
    """A redis:// URL to a server that accepts connections and never answers."""
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.05)
    stop = threading.Event()

    def hold_connections():
        held = []
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):  # a tick of the loop, not an error
                held.append((server.accept()[0], time.monotonic()))
            while held and time.monotonic() - held[0][1] > FROZEN_FOR_SECONDS:
                held.pop(0)[0].close()
        for connection, _ in held:
            connection.close()

    thread = threading.Thread(target=hold_connections, daemon=True)
    thread.start()
    yield f"redis://127.0.0.1:{server.getsockname()[1]}"
    stop.set()
    thread.join()
    server.close()


@pytest.fixture(params=["closed port", "frozen server"])
def store_down(request):
    """An app whose rate-limit store refuses connections, or accepts and never answers."""
    url = (
        "redis://127.0.0.1:1"
        if request.param == "closed port"
        else request.getfixturevalue("frozen_store")
    )
    app = request.getfixturevalue("app_factory")(
        RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI=url, RATELIMIT_FEEDBACK="3 per minute"
    )
    with app.app_context():
        make_user(username="alice", email="alice@example.org", password=PASSWORD)
        db.session.remove()
    yield app
    # One Limiter serves every app the tests build, and init_app keeps its belief that the
    # store is down: the next app must find out for itself.
    limiter._storage_dead = False


def test_forms_work_while_the_rate_limit_store_is_down(store_down, caplog):
    client = store_down.test_client()
    signup = {"username": "carol", "email": "carol@example.org"}
    signup |= {"password": PASSWORD, "password2": PASSWORD}
    assert client.post("/auth/register", data=signup).status_code == 302
    client.post("/auth/logout")
    assert login_from(client, "127.0.0.1", "alice", PASSWORD).status_code == 302
    assert client.post("/feedback/new", data={"name": "A", "message": "up"}).status_code == 302
    warnings = [r for r in caplog.records if r.name == "flask-limiter" and r.levelname == "WARNING"]
    assert warnings and "unreachable" in warnings[0].getMessage()


def test_limits_still_apply_while_the_rate_limit_store_is_down(store_down):
    client = store_down.test_client()
    for n in range(3):
        assert client.post("/feedback/new", data={"name": "F", "message": n}).status_code == 302
    assert client.post("/feedback/new", data={"name": "F", "message": 4}).status_code == 429
    for n in range(10):
        assert login_from(client, f"10.0.0.{n}").status_code == 422
    assert login_from(client, "10.0.1.1").status_code == 429  # the account is locked
    assert login_from(client, "10.0.0.1", "alice", PASSWORD).status_code == 429


def test_readiness_says_when_the_rate_limit_store_is_down(store_down):
    ready = store_down.test_client().get("/readyz")
    assert ready.status_code == 200
    assert ready.text.splitlines() == [
        "ready",
        "rate-limit store unreachable: limits are counted per worker until it answers",
    ]


def test_readiness_says_nothing_of_a_store_that_answers(app_factory):
    ready = app_factory(RATELIMIT_ENABLED=True).test_client().get("/readyz")
    assert (ready.status_code, ready.text) == (200, "ready")


LOG_THE_STORE_OUTAGE = """
import sys
from app import create_app
app = create_app(
    "development",
    SQLALCHEMY_DATABASE_URI=sys.argv[1],
    RATELIMIT_ENABLED=True,
    RATELIMIT_STORAGE_URI="redis://127.0.0.1:1",
    WTF_CSRF_ENABLED=False,
)
print(app.test_client().post("/feedback/new", data={"name": "N", "message": "M"}).status_code)
"""


def test_a_rate_limit_store_outage_reaches_the_app_log(fresh_database):
    run = subprocess.run(
        [sys.executable, "-c", LOG_THE_STORE_OUTAGE, fresh_database()],
        cwd=Path(__file__).parent.parent,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert run.stdout.strip() == "302"
    assert "WARNING flask-limiter: Rate limit storage unreachable" in run.stderr


@pytest.mark.parametrize(
    "seconds, text",
    [
        (0.2, "2 seconds"),
        (59.5, "60 seconds"),
        (119, "119 seconds"),
        (150, "3 minutes"),
        (7200, "2 hours"),
        (86000, "24 hours"),
    ],
)
def test_the_wait_reads_in_a_unit_people_use(seconds, text):
    assert readable_wait(seconds) == text
