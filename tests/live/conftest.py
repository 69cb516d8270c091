"""Live tests: the app served by a real gunicorn (4 sync workers) in production mode.

They start what they need themselves (a gunicorn, a throwaway PostgreSQL cluster, a
Redis), on 127.0.0.1 only, and stop it afterwards.
"""

import contextlib
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
import requests
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PG_BINARIES = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))

pytestmark = pytest.mark.live


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(check, timeout: float = 20.0, what: str = "service") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except (OSError, requests.RequestException):
            pass
        time.sleep(0.1)
    raise TimeoutError(f"{what} did not come up within {timeout} s")


def production_env(database_url: str, **extra) -> dict:
    env = {key: value for key, value in os.environ.items() if not key.startswith("FLASK_")}
    return (
        env
        | {
            "FLASK_CONFIG": "production",
            "FLASK_APP": "run",
            "SECRET_KEY": secrets.token_hex(32),
            "DATABASE_URL": database_url,
            "RATELIMIT_ENABLED": "0",
        }
        | extra
    )


class PostgresCluster:
    """A throwaway PostgreSQL cluster in a temp dir, run as the postgres user."""

    def __init__(self, directory: Path):
        self.bin = PG_BINARIES[-1].parent
        self.directory = directory
        self.port = free_port()
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def run(self, *args) -> None:
        runuser = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run([*runuser, *args], check=True, capture_output=True, timeout=60)

    def init(self) -> None:
        self.directory.mkdir()
        if os.geteuid() == 0:
            shutil.chown(self.directory, "postgres")
        self.run(
            f"{self.bin}/initdb", "-D", f"{self.directory}/data", "-A", "trust",
            "-U", "postgres", "-E", "UTF8", "--no-locale",
        )  # fmt: skip

    def start(self) -> None:
        options = f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 -c fsync=off"
        self.run(
            f"{self.bin}/pg_ctl", "-D", f"{self.directory}/data", "-l", f"{self.directory}/log",
            "-w", "-o", options, "start",
        )  # fmt: skip

    def stop(self) -> None:
        self.run(f"{self.bin}/pg_ctl", "-D", f"{self.directory}/data", "-m", "fast", "-w", "stop")


@pytest.fixture(scope="session")
def postgres():
    if not PG_BINARIES:
        pytest.skip("PostgreSQL server binaries are not installed (apt-get install postgresql)")
    # Directly under /tmp: the postgres user cannot enter pytest's root-only temp dirs.
    base = Path(tempfile.mkdtemp(prefix="corkboard-pg-"))
    if os.geteuid() == 0:
        shutil.chown(base, "postgres")
    cluster = PostgresCluster(base / "cluster")
    cluster.init()
    cluster.start()
    yield cluster
    with contextlib.suppress(subprocess.CalledProcessError):
        cluster.stop()
    shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    server = shutil.which("redis-server")
    if server is None:
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    port = free_port()
    process = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=tmp_path_factory.mktemp("redis"),
    )

    def answers():
        with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")

    wait_until(answers, what="redis")
    yield f"redis://127.0.0.1:{port}"
    process.terminate()
    process.wait(timeout=10)


def flask_db_upgrade(env: dict) -> None:
    subprocess.run(
        [BIN / "flask", "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True
    )


@pytest.fixture
def serve(tmp_path):
    """serve(env) -> base URL of a gunicorn with 4 workers running the app with `env`."""
    started = []

    def start(env: dict, workers: int = 4) -> str:
        flask_db_upgrade(env)
        port = free_port()
        log = (tmp_path / f"gunicorn-{port}.log").open("w")
        process = subprocess.Popen(
            [BIN / "gunicorn", "-w", str(workers), "-b", f"127.0.0.1:{port}", "run:app"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        started.append((process, log))
        base = f"http://127.0.0.1:{port}"
        wait_until(lambda: requests.get(f"{base}/healthz", timeout=2).ok, what="gunicorn")
        return base

    yield start
    for process, log in started:
        process.terminate()
        process.wait(timeout=30)
        log.close()


@pytest.fixture
def sqlite_url(tmp_path):
    return f"sqlite:///{tmp_path / 'live.db'}"


MARIADB_SERVER = os.environ.get("LIVE_MARIADB_URL", "mysql+pymysql://root@127.0.0.1:3306")


@pytest.fixture
def mariadb_url():
    """A throwaway database on the MariaDB server (LIVE_MARIADB_URL; .ci/run starts one)."""
    server = sa.create_engine(f"{MARIADB_SERVER}/?charset=utf8mb4")
    name = f"corkboard_live_{os.getpid()}"
    try:
        with server.connect() as connection:
            connection.execute(sa.text(f"DROP DATABASE IF EXISTS {name}"))
            connection.execute(
                sa.text(f"CREATE DATABASE {name} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
            )
    except sa.exc.OperationalError as error:
        server.dispose()
        pytest.skip(f"no MariaDB server at {MARIADB_SERVER}: {error.orig}")
    yield f"{MARIADB_SERVER}/{name}?charset=utf8mb4"
    with server.connect() as connection:
        connection.execute(sa.text(f"DROP DATABASE IF EXISTS {name}"))
    server.dispose()
