"""Corkboard's benchmark harness: `make bench` (full) or `make bench-smoke` (CI).

For each database and size it seeds a database (cached in bench/.cache/ and in the
PostgreSQL server between runs), serves Corkboard and a Flask hello-world app with gunicorn
(2 sync workers each, production settings, rate limits off), and drives each page with wrk,
bracketed by hello-world runs so every figure is a ratio measured in the same minute.
It prints a Markdown table and checks the targets, which the README explains.
"""

import argparse
import logging
import os
import platform
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import requests
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "bench" / ".cache"
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT))

# The list and search pages: each must keep a share of hello-world at the largest size,
# and run no more than a few SQL statements.
LIST_PAGES = (
    "/feedback/ page 1",
    "/feedback/?page=500",
    "deep rel=next step",
    "/feedback/?sort=top",
    "deep sort=top step",
    "/feedback/?status=planned",
    "/feedback/?tag=mobile",
    "/feedback/?status=planned&tag=mobile",
    "/roadmap",
    "/notes/ page 1",
    "search",
)
TARGETS = {"list": 0.15, "scaling": 0.9, "statements": 3}


@dataclass
class Result:
    page: str
    database: str
    rows: int
    rps: float
    p50_ms: float
    p99_ms: float
    ratio: float
    statements: int
    cpu_us: float  # CPU per request: workers, plus the PostgreSQL server's processes
    hello_cpu_us: float  # hello-world's, in the same round


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def ensure_wrk() -> str:
    if shutil.which("wrk") is None:
        print("installing wrk (apt-get)…", flush=True)
        subprocess.run(["apt-get", "update", "-qq"], check=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True)
    return shutil.which("wrk")


def migration_head() -> str:
    from alembic.script import ScriptDirectory

    return ",".join(sorted(ScriptDirectory(str(ROOT / "migrations")).get_heads()))


def flask(env: dict, *args: str) -> None:
    subprocess.run([BIN / "flask", *args], cwd=ROOT, env=env, check=True)


def database_url(database: str, rows: int, postgres: str) -> str:
    if database == "sqlite":
        return f"sqlite:///{CACHE / f'sqlite-{rows}.db'}"
    return f"{postgres.rstrip('/')}/corkboard_bench_{rows}"


def prepare(database: str, rows: int, env: dict, postgres: str) -> str:
    """A database seeded with `rows` feedback items, reused while the schema is unchanged."""
    url = database_url(database, rows, postgres)
    marker = CACHE / f"{database}-{rows}.seeded"
    if marker.exists() and marker.read_text() == migration_head():
        return url
    print(f"seeding {database} with {rows:,} feedback items…", flush=True)
    CACHE.mkdir(parents=True, exist_ok=True)
    if database == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(str(CACHE / f"sqlite-{rows}.db") + suffix).unlink(missing_ok=True)
    else:
        admin = sa.create_engine(f"{postgres.rstrip('/')}/postgres", isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            name = f"corkboard_bench_{rows}"
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
            connection.execute(
                sa.text(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0")
            )
        admin.dispose()
    seeding = env | {"DATABASE_URL": url}
    flask(seeding, "db", "upgrade")
    started = time.monotonic()
    flask(
        seeding,
        "seed",
        "--feedback",
        str(rows),
        "--notes",
        str(max(rows // 100, 50)),
        "--users",
        "100",
        "--random-seed",
        "1",
    )
    print(f"seeded in {time.monotonic() - started:.0f} s", flush=True)
    marker.write_text(migration_head())
    return url


class Server:
    """gunicorn with 2 sync workers, the protocol of PERFORMANCE.md."""

    def __init__(self, target: str, env: dict, cwd: Path, log_name: str):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        CACHE.mkdir(parents=True, exist_ok=True)
        self.log = (CACHE / log_name).open("wb")  # noqa: SIM115 - lives as long as the server
        self.process = subprocess.Popen(
            [BIN / "gunicorn", "-w", "2", "-b", f"127.0.0.1:{self.port}", target],
            cwd=cwd,
            env=env,
            stdout=self.log,
            stderr=self.log,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if requests.get(self.base + "/", timeout=2).status_code < 500:
                    return
            except requests.RequestException:
                time.sleep(0.2)
        raise RuntimeError(f"{target} did not start")

    def workers(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()]

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)
        self.log.close()


def cpu_seconds(pids: list[int]) -> float:
    """CPU time (user and system) the processes have used so far."""
    ticks = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # it ended: what it used is lost, as for any process that ends
        ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def postgres_processes() -> list[int]:
    """The local PostgreSQL server's processes (the server shares the machine's cores)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == "postgres":
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


@dataclass
class Load:
    rps: float
    p50_ms: float
    p99_ms: float
    requests: int


def wrk(wrk_bin: str, url: str, duration: int, script: Path | None = None) -> Load:
    """What `wrk -t2 -c16 --latency` measured."""
    command = [wrk_bin, "-t2", "-c16", f"-d{duration}s", "--latency"]
    if script:
        command += ["-s", str(script)]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if errors:
        raise RuntimeError(f"{url}: {errors.group(1)} error responses\n{output}")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    requests_made = int(re.search(r"(\d+) requests in", output).group(1))
    return Load(rps, latency(output, "50%"), latency(output, "99%"), requests_made)


def measured_cpu(processes: list[int], *wrk_args) -> tuple[Load, float]:
    """`wrk(*wrk_args)`, and the CPU microseconds per request that `processes` spent."""
    used = cpu_seconds(processes)
    load = wrk(*wrk_args)
    return load, (cpu_seconds(processes) - used) / max(load.requests, 1) * 1e6


def latency(output: str, percentile: str) -> float:
    value, unit = re.search(rf"{percentile}\s+([\d.]+)(us|ms|s)", output).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def post_script(base: str, script: Path) -> Path:
    """A wrk script posting feedback with a real session cookie and CSRF token."""
    session = requests.Session()
    page = session.get(f"{base}/feedback/new", timeout=10).text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    cookie = "; ".join(f"{name}={value}" for name, value in session.cookies.items())
    script.write_text(
        'wrk.method = "POST"\n'
        f'wrk.body = "name=Bench&message=Measured+under+load&csrf_token={token}"\n'
        'wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\n'
        f'wrk.headers["Cookie"] = "{cookie}"\n'
    )
    return script


# A demo member `flask seed` adds; the vote benchmark signs in as them.
BENCH_VOTER = "demo1"


def vote_script(base: str, path: str, script: Path) -> Path:
    """A wrk script in which a signed-in member votes and withdraws, in turn."""
    from app.seed import DEMO_PASSWORD

    session = requests.Session()
    login = session.get(f"{base}/auth/login", timeout=10).text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login).group(1)
    data = {"username": BENCH_VOTER, "password": DEMO_PASSWORD, "csrf_token": token}
    session.post(f"{base}/auth/login", data=data, timeout=30)
    item = session.get(base + path.removesuffix("/vote"), timeout=10).text
    token = re.search(r'name="csrf_token" value="([^"]+)"', item).group(1)
    cookie = "; ".join(f"{name}={value}" for name, value in session.cookies.items())
    script.write_text(
        'wrk.method = "POST"\n'
        'wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\n'
        'wrk.headers["Accept"] = "application/json"\n'
        f'wrk.headers["Cookie"] = "{cookie}"\n'
        "local n = 0\n"
        "request = function()\n"
        "  n = n + 1\n"
        f'  return wrk.format(nil, nil, nil, "vote=" .. (n % 2) .. "&csrf_token={token}")\n'
        "end\n"
    )
    return script


def in_process_app(env: dict):
    """Corkboard on the benchmark database, in this process: to pick pages and count SQL."""
    os.environ.update(env)
    from app import create_app
    from config import database_url

    app = create_app(
        "production",
        SQLALCHEMY_DATABASE_URI=database_url(env["DATABASE_URL"]),
        RATELIMIT_ENABLED=False,
        WTF_CSRF_ENABLED=False,
    )
    logging.getLogger("corkboard.request").setLevel(logging.WARNING)  # not the measured runs
    return app


def pages(app) -> dict[str, str]:
    """Page name -> path; the deep step and the detail page depend on the data."""
    from app.extensions import db
    from app.feedback.listing import SORTS, FeedbackList
    from app.models import Feedback
    from app.pagination import encode_cursor

    with app.app_context():
        visible = Feedback.public()
        total = db.session.scalar(sa.select(sa.func.count()).select_from(visible.subquery()))
        deep = db.session.execute(visible.offset(max(total - 100, 0)).limit(1)).one()
        top = FeedbackList(sort="top").statement()
        deep_top = db.session.execute(top.offset(max(total - 100, 0)).limit(1)).one()
        middle = db.session.execute(visible.offset(total // 2).limit(1)).one()
        busiest = db.session.execute(
            visible.order_by(None).order_by(Feedback.comment_count.desc()).limit(1)
        ).one()
        full_pages = total // app.config["FEEDBACK_PER_PAGE"]
        paths = {
            "/feedback/ page 1": "/feedback/",
            # Where a board has fewer than 500 pages: a full page with an older one after
            # it, as page 500 is on a large board (its last page may be short, and would
            # flatter the small board's figure).
            "/feedback/?page=500": f"/feedback/?page={max(1, min(500, full_pages - 1))}",
            "deep rel=next step": f"/feedback/?after={encode_cursor(deep)}",
            "/feedback/?sort=top": "/feedback/?sort=top",
            "deep sort=top step": (
                f"/feedback/?sort=top&after={encode_cursor(deep_top, SORTS['top'])}"
            ),
            "/feedback/?status=planned": "/feedback/?status=planned",
            "/feedback/?tag=mobile": "/feedback/?tag=mobile",
            "/feedback/?status=planned&tag=mobile": "/feedback/?status=planned&tag=mobile",
            "/roadmap": "/roadmap",
            "/feedback/<id>": f"/feedback/{middle.id}",
            "/feedback/<id>, most comments": f"/feedback/{busiest.id}",
            "/notes/ page 1": "/notes/",
            "search": "/feedback/?q=garden+coffee",
            "POST /feedback/new": "/feedback/new",
            "POST /feedback/<id>/vote": f"/feedback/{middle.id}/vote",
        }
        db.engine.dispose()
    return paths


def statements_per_request(app, paths: dict[str, str]) -> dict[str, int]:
    """SQL statements each page runs (SQLite's explicit BEGIN aside)."""
    from app.extensions import db
    from app.seed import DEMO_PASSWORD

    counts, statements = {}, []

    def record(conn, cursor, statement, *args):
        if not statement.startswith("BEGIN"):
            statements.append(statement)

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", record)
    client = app.test_client()
    for name, path in paths.items():
        client.get(path)  # warm up
        statements.clear()
        if name == "POST /feedback/<id>/vote":
            login = {"username": BENCH_VOTER, "password": DEMO_PASSWORD}
            client.post("/auth/login", data=login)
            statements.clear()
            client.post(path, data={"vote": "1"})
        elif name.startswith("POST"):
            client.post(path, data={"name": "Count", "message": "Counting statements"})
        else:
            client.get(path)
        counts[name] = len(statements)
    sa.event.remove(engine, "before_cursor_execute", record)
    engine.dispose()
    return counts


def remove_posted(app) -> None:
    """Delete what the POST benchmark and the statement count stored: the sizes stay true.

    Where it deleted any, vacuum and analyse as after seeding: a PostgreSQL server without
    autovacuum would otherwise keep the deleted rows' dead tuples, and the next run would
    read through them.
    """
    from app.cli import settle_after_bulk_load
    from app.extensions import db
    from app.models import Feedback

    with app.app_context():
        deleted = db.session.execute(sa.delete(Feedback).where(Feedback.name.in_(POSTED_NAMES)))
        db.session.commit()
        if deleted.rowcount:
            settle_after_bulk_load()
        db.engine.dispose()


POSTED_NAMES = ("Bench", "Count")


@dataclass
class Board:
    """One seeded size of a database, served: its pages, their statement counts, a server
    and a wrk script that posts to it."""

    rows: int
    app: object
    paths: dict[str, str]
    counts: dict[str, int]
    server: Server
    post: Path
    vote: Path

    def target(self, name: str) -> tuple[str, Path | None]:
        """The URL of page `name` and the wrk script that requests it (none for a GET)."""
        script = {"POST /feedback/new": self.post, "POST /feedback/<id>/vote": self.vote}
        return self.server.base + self.paths[name], script.get(name)


def serve(database: str, rows: int, url: str, env: dict) -> Board:
    app_env = env | {"DATABASE_URL": url}
    app = in_process_app(app_env)
    remove_posted(app)  # what an interrupted run left would change the pages picked
    paths = pages(app)
    counts = statements_per_request(app, paths)
    remove_posted(app)
    server = Server("run:app", app_env, ROOT, f"{database}-{rows}.log")
    post = post_script(server.base, CACHE / f"{database}-{rows}.lua")
    vote_path = paths["POST /feedback/<id>/vote"]
    vote = vote_script(server.base, vote_path, CACHE / f"{database}-{rows}-vote.lua")
    return Board(rows, app, paths, counts, server, post, vote)


def measure(database, urls, env, wrk_bin, duration, rounds, hello) -> list[Result]:
    """Every page of every size of `database` (`urls`: rows -> database URL).

    A page is measured at each size in turn within each round, so the ratios that the
    scaling target compares come from the same minutes, as each page's ratio and the
    hello-world runs around it do: the machine's speed drifts from one minute to the next,
    and heavier pages drift more than hello-world.
    """
    boards = []
    results = []
    try:
        for rows, url in urls.items():
            boards.append(serve(database, rows, url, env))
        for name in boards[0].paths:
            for board in boards:
                # Unmeasured first: every worker compiles its templates and statements once.
                url, script = board.target(name)
                wrk(wrk_bin, url, 1, script)
            samples = {board.rows: [] for board in boards}
            for _ in range(rounds):
                for board in boards:
                    samples[board.rows].append(
                        sample(board, name, database, wrk_bin, duration, hello)
                    )
            results += [median(name, database, board, samples[board.rows]) for board in boards]
    finally:
        for board in boards:
            board.server.stop()
            remove_posted(board.app)
    return sorted(results, key=lambda result: result.rows)  # stable: pages stay in order


def sample(board: Board, name: str, database: str, wrk_bin, duration, hello) -> tuple:
    """One wrk run of a page between two of hello-world: (load, ratio, CPU µs, hello CPU µs),
    the page's CPU being what its workers (and PostgreSQL's server) used."""
    url, script = board.target(name)
    processes = board.server.workers() + (postgres_processes() if database == "postgresql" else [])
    hello_run = (wrk_bin, hello.base + "/", duration)
    before, hello_cpu = measured_cpu(hello.workers(), *hello_run)
    page, cpu = measured_cpu(processes, wrk_bin, url, duration, script)
    after = wrk(*hello_run)
    return page, page.rps / ((before.rps + after.rps) / 2), cpu, hello_cpu


def median(name: str, database: str, board: Board, samples: list[tuple]) -> Result:
    """The sample with the median ratio, as a result (and a line of progress)."""
    page, ratio, cpu, hello_cpu = sorted(samples, key=lambda sample: sample[1])[len(samples) // 2]
    print(
        f"  {name:22} {database:10} {board.rows:>9,} {page.rps:8.0f} req/s  "
        f"ratio {ratio:6.1%}  {cpu:6.0f} µs CPU",
        flush=True,
    )
    return Result(
        name,
        database,
        board.rows,
        page.rps,
        page.p50_ms,
        page.p99_ms,
        ratio,
        board.counts[name],
        cpu,
        hello_cpu,
    )


def table(results: list[Result]) -> str:
    lines = [
        "| page | database | rows | req/s | p50 ms | p99 ms | ratio to hello-world "
        "| SQL statements | CPU µs per request |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        lines.append(
            f"| {r.page} | {r.database} | {r.rows:,} | {r.rps:,.0f} | {r.p50_ms:.1f} | "
            f"{r.p99_ms:.1f} | {r.ratio:.1%} | {r.statements} | {r.cpu_us:,.0f} |"
        )
    return "\n".join(lines)


def cpu_note(results: list[Result]) -> str:
    hello_cpu_us = sorted(r.hello_cpu_us for r in results)[len(results) // 2]
    return (
        f"CPU µs per request: what the two gunicorn workers (and, on PostgreSQL, the server's "
        f"processes) used per request, from /proc. Hello-world used {hello_cpu_us:,.0f} µs "
        "(median); wrk, the kernel's network work and the rest of the machine are not counted."
    )


def check_targets(results: list[Result], large: int, small: int) -> list[str]:
    """One line per target: PASS or MISS, with the figures."""
    by_key = {(r.page, r.database, r.rows): r for r in results}
    lines = []
    for r in (r for r in results if r.rows == large):
        if r.page in LIST_PAGES:
            floor, most = TARGETS["list"], TARGETS["statements"]
            verdict = "PASS" if r.ratio >= floor and r.statements <= most else "MISS"
            lines.append(
                f"{verdict} {r.page} on {r.database} at {large:,}: {r.ratio:.1%} "
                f"(target ≥ {floor:.0%}), {r.statements} SQL statements (target ≤ {most})"
            )
        baseline = by_key.get((r.page, r.database, small))
        if baseline:
            keeps = r.ratio / baseline.ratio
            verdict = "PASS" if keeps >= TARGETS["scaling"] else "MISS"
            lines.append(
                f"{verdict} {r.page} on {r.database}: {large:,} rows keep {keeps:.3f} "
                f"of the {small:,}-row ratio (target ≥ {TARGETS['scaling']})"
            )
        posting = by_key.get(("POST /feedback/new", r.database, large))
        if r.page == "POST /feedback/<id>/vote" and posting:
            verdict = "PASS" if r.ratio >= posting.ratio else "MISS"
            lines.append(
                f"{verdict} {r.page} on {r.database} at {large:,}: {r.ratio:.1%} "
                f"(target ≥ POST /feedback/new's {posting.ratio:.1%})"
            )
    return lines


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory = int(Path("/proc/meminfo").read_text().split()[1]) // 1024 // 1024
    return (
        f"{os.cpu_count()} cores ({cpu}), {memory} GiB, {platform.platform()}, "
        f"Python {platform.python_version()}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,1000000")
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--duration", type=int, default=5, help="seconds per wrk run")
    parser.add_argument("--rounds", type=int, default=3, help="median of this many rounds")
    parser.add_argument(
        "--postgres",
        default=os.environ.get(
            "BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432"
        ),
    )
    parser.add_argument("--output", help="write the table to this Markdown file")
    parser.add_argument("--no-targets", action="store_true", help="report only (smoke runs)")
    args = parser.parse_args()

    sizes = sorted(int(size) for size in args.sizes.split(","))
    wrk_bin = ensure_wrk()
    env = {key: value for key, value in os.environ.items() if not key.startswith("FLASK_")} | {
        "FLASK_CONFIG": "production",
        "FLASK_APP": "run",
        "SECRET_KEY": secrets.token_hex(32),
        "RATELIMIT_ENABLED": "0",
        "FEEDBACK_MIN_SECONDS": "0",
        "FEEDBACK_MODERATION": "0",
    }
    hello = Server("hello:app", env, ROOT / "bench", "hello.log")
    results = []
    try:
        for database in args.databases.split(","):
            urls = {rows: prepare(database, rows, env, args.postgres) for rows in sizes}
            results += measure(database, urls, env, wrk_bin, args.duration, args.rounds, hello)
    finally:
        hello.stop()

    report = table(results) + "\n\n" + cpu_note(results)
    verdicts = [] if args.no_targets else check_targets(results, sizes[-1], sizes[0])
    print("\n" + report + "\n")
    print("\n".join(verdicts))
    if args.output:
        Path(args.output).write_text(
            "# Benchmarks\n\n"
            f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {machine()}.\n\n"
            f"`python bench/run.py --sizes {args.sizes} --databases {args.databases} "
            f"--duration {args.duration} --rounds {args.rounds}`: gunicorn with 2 sync workers, "
            "`wrk -t2 -c16 --latency`; each round measures a page at every size in turn, each "
            "run bracketed by runs of a Flask hello-world route; the ratio is the median over "
            "the rounds.\n\n"
            f"{report}\n\n" + "\n".join(f"- {line}" for line in verdicts) + "\n"
        )
    return 1 if any(line.startswith("MISS") for line in verdicts) else 0


if __name__ == "__main__":
    sys.exit(main())
