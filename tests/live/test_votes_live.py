"""A hundred members voting on one item at the same moment, through gunicorn's 4 workers,
on each database: exactly a hundred votes, and the count shown agrees."""

import re
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
import sqlalchemy as sa
from argon2 import PasswordHasher, profiles

from tests.live.conftest import production_env

pytestmark = pytest.mark.live

VOTERS = 100
PASSWORD = "correct horse"


def add_members_and_item(url: str) -> int:
    """VOTERS members (voter0…) sharing one password hash, and one item; the item's id."""
    password_hash = PasswordHasher.from_parameters(profiles.RFC_9106_LOW_MEMORY).hash(PASSWORD)
    engine = sa.create_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(
                sa.text(
                    "INSERT INTO users (username, username_key, email, password_hash, is_admin,"
                    " session_version, created_at)"
                    " VALUES (:name, :name, :email, :hash, false, 1, CURRENT_TIMESTAMP)"
                ),
                [
                    {"name": f"voter{n}", "email": f"voter{n}@example.org", "hash": password_hash}
                    for n in range(VOTERS)
                ],
            )
            connection.execute(
                sa.text(
                    "INSERT INTO feedback (name, message, created_at, hidden, pending, vote_count)"
                    " VALUES ('Visitor', 'Vote for me', CURRENT_TIMESTAMP, false, false, 0)"
                )
            )
            return connection.execute(sa.text("SELECT max(id) FROM feedback")).scalar_one()
    finally:
        engine.dispose()


def csrf_token(session: requests.Session, url: str) -> str:
    page = session.get(url, timeout=60).text
    return re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page).group(1)


def signed_in(base: str, n: int, item: int) -> tuple[requests.Session, str]:
    """A session signed in as voter`n`, and the CSRF token of the item's vote form."""
    session = requests.Session()
    data = {"username": f"voter{n}", "password": PASSWORD}
    data["csrf_token"] = csrf_token(session, f"{base}/auth/login")
    response = session.post(f"{base}/auth/login", data=data, allow_redirects=False, timeout=60)
    assert response.status_code == 302, response.text[:500]
    return session, csrf_token(session, f"{base}/feedback/{item}")


def stored(url: str, item: int) -> tuple[int, int]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            count = connection.execute(
                sa.text("SELECT vote_count FROM feedback WHERE id = :id"), {"id": item}
            ).scalar_one()
            rows = connection.execute(
                sa.text("SELECT count(*) FROM votes WHERE feedback_id = :id"), {"id": item}
            ).scalar_one()
    finally:
        engine.dispose()
    return count, rows


@pytest.mark.parametrize("database", ["sqlite", "postgresql", "mariadb"])
def test_a_hundred_members_voting_at_once_leave_a_hundred_votes(request, serve, database):
    fixture = {"sqlite": "sqlite_url", "postgresql": "postgres", "mariadb": "mariadb_url"}
    url = request.getfixturevalue(fixture[database])
    url = url.url if database == "postgresql" else url
    env = production_env(url)
    base = serve(env)
    item = add_members_and_item(url)
    with ThreadPoolExecutor(8) as pool:  # signing in hashes a password: spread it out
        sessions = list(pool.map(lambda n: signed_in(base, n, item), range(VOTERS)))

    statuses, lock = Counter(), threading.Lock()
    start = threading.Barrier(VOTERS)

    def vote(session: requests.Session, token: str) -> None:
        start.wait()
        # Vote, withdraw and vote again, double-clicking each time: one vote remains.
        for choice in ("1", "1", "0", "0", "1", "1"):
            response = session.post(
                f"{base}/feedback/{item}/vote",
                data={"vote": choice, "csrf_token": token},
                headers={"Accept": "application/json"},
                timeout=120,
            )
            with lock:
                statuses[response.status_code] += 1

    threads = [threading.Thread(target=vote, args=pair) for pair in sessions]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    for session, _ in sessions:
        session.close()

    print(
        f"\n{database}: {VOTERS} members, 6 votes each at once, {VOTERS * 6} requests in "
        f"{elapsed:.1f} s: {dict(statuses)}"
    )
    assert statuses == {200: VOTERS * 6}
    assert stored(url, item) == (VOTERS, VOTERS)
    page = requests.get(f"{base}/feedback/{item}", timeout=60).text
    assert f"{VOTERS} votes" in page
