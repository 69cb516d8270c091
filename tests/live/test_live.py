"""Against a real gunicorn with 4 workers: limits across workers, database outages,
and many people posting at once."""

import re
import threading
import time
import uuid
from collections import Counter

import pytest
import requests
import sqlalchemy as sa

from tests.live.conftest import production_env, wait_until

pytestmark = pytest.mark.live

CLIENTS = 50
POSTS_EACH = 10


def csrf_token(session: requests.Session, url: str) -> str:
    page = session.get(url, timeout=30).text
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def test_failed_logins_are_limited_across_workers(serve, sqlite_url, redis_url):
    base = serve(production_env(sqlite_url, RATELIMIT_ENABLED="1", RATELIMIT_STORAGE_URI=redis_url))
    statuses = []
    for attempt in range(11):
        # A fresh connection each time, so the attempts spread over the 4 workers.
        with requests.Session() as session:
            token = csrf_token(session, f"{base}/auth/login")
            response = session.post(
                f"{base}/auth/login",
                data={"username": f"nobody{attempt}", "password": "wrong", "csrf_token": token},
                headers={"X-Forwarded-For": f"203.0.113.{attempt}"},  # spoofed: ignored
                timeout=30,
            )
            statuses.append(response.status_code)
            if response.status_code == 429:
                assert int(response.headers["Retry-After"]) > 0
    assert statuses == [422] * 10 + [429]


def test_database_outage_is_a_503_and_the_app_recovers(serve, postgres):
    base = serve(production_env(postgres.url))
    assert requests.get(f"{base}/feedback/", timeout=30).status_code == 200

    postgres.stop()
    try:
        for _ in range(4):  # every worker, whatever its pooled connection's state
            down = requests.get(f"{base}/feedback/", timeout=30)
            assert down.status_code == 503
            assert down.headers["Retry-After"].isdigit()
            assert "Temporarily unavailable" in down.text and "Traceback" not in down.text
        assert requests.get(f"{base}/readyz", timeout=30).status_code == 503
        assert requests.get(f"{base}/healthz", timeout=30).text == "ok"
    finally:
        postgres.start()

    wait_until(lambda: requests.get(f"{base}/readyz", timeout=5).ok, what="readiness")
    for _ in range(8):
        assert requests.get(f"{base}/feedback/", timeout=30).status_code == 200


def post_many(base: str, client: int, results: Counter, lock: threading.Lock) -> None:
    with requests.Session() as session:
        token = csrf_token(session, f"{base}/feedback/new")
        for n in range(POSTS_EACH):
            marker = f"marker-{client}-{n}-{uuid.uuid4().hex[:8]}"
            response = session.post(
                f"{base}/feedback/new",
                data={"name": f"Client {client}", "message": marker, "csrf_token": token},
                allow_redirects=False,
                timeout=60,
            )
            locked = "database is locked" in response.text
            with lock:
                results[response.status_code] += 1
                results["locked"] += locked
                if response.status_code == 302:
                    results[marker] += 1


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_concurrent_submissions_are_each_stored_once(request, serve, database):
    url = (
        request.getfixturevalue("sqlite_url" if database == "sqlite" else "postgres").url
        if database == "postgresql"
        else request.getfixturevalue("sqlite_url")
    )
    base = serve(production_env(url))
    results, lock = Counter(), threading.Lock()
    threads = [
        threading.Thread(target=post_many, args=(base, client, results, lock))
        for client in range(CLIENTS)
    ]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started

    accepted = {key for key in results if isinstance(key, str) and key.startswith("marker-")}
    server_errors = sum(
        count for code, count in results.items() if isinstance(code, int) and code >= 500
    )
    print(
        f"\n{database}: {CLIENTS * POSTS_EACH} submissions in {elapsed:.1f} s, "
        f"accepted {results[302]}, 5xx {server_errors}, locked {results['locked']}"
    )
    assert server_errors == 0
    assert results["locked"] == 0
    assert results[302] == CLIENTS * POSTS_EACH

    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(sa.text("SELECT message FROM feedback")).scalars().all()
    finally:
        engine.dispose()
    stored = Counter(rows)
    assert set(stored) == accepted
    assert all(count == 1 for count in stored.values())
