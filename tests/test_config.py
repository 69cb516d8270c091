"""Configuration: the defaults work, and production refuses unsafe settings clearly."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from app import ConfigError, create_app
from config import database_url

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgres://u:p@db/board", "postgresql+psycopg://u:p@db/board"),
        ("postgresql://u@db/board", "postgresql+psycopg://u@db/board"),
        ("postgresql+psycopg://u@db/board", "postgresql+psycopg://u@db/board"),
        ("mysql://root@db/board", "mysql+pymysql://root@db/board"),
        ("sqlite:///board.db", "sqlite:///board.db"),
        ("", None),
        (None, None),
    ],
)
def test_database_url_is_normalised(given, expected):
    assert database_url(given) == expected


def test_development_defaults_to_a_sqlite_file_in_instance(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    app = create_app("development")
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "sqlite:///corkboard.db"
    assert app.config["SECRET_KEY"]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"SECRET_KEY": None}, "SECRET_KEY is not set"),
        ({"SECRET_KEY": ""}, "SECRET_KEY is not set"),
        ({"SQLALCHEMY_DATABASE_URI": None}, "DATABASE_URL is not set"),
        ({"DEBUG": True}, "debug is on"),
    ],
)
def test_production_refuses_unsafe_settings(overrides, message):
    settings = {"SECRET_KEY": "k" * 40, "SQLALCHEMY_DATABASE_URI": "sqlite://"} | overrides
    with pytest.raises(ConfigError, match=message):
        create_app("production", **settings)


def test_unknown_config_name_is_refused():
    with pytest.raises(ConfigError, match="FLASK_CONFIG='staging' is unknown"):
        create_app("staging")


def start(env: dict) -> subprocess.CompletedProcess:
    """Import run.py in a fresh interpreter, as `gunicorn run:app` would."""
    return subprocess.run(
        [sys.executable, "-c", "import run"],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "FLASK_CONFIG": "production"} | env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("env", "missing"),
    [
        ({"DATABASE_URL": "sqlite:///x.db"}, "SECRET_KEY"),
        ({"SECRET_KEY": "k" * 40}, "DATABASE_URL"),
    ],
)
def test_production_start_fails_with_one_clear_line(env, missing):
    result = start(env)
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Corkboard cannot start:")
    assert f"{missing} is not set" in lines[0]


def test_production_starts_when_configured():
    result = start({"SECRET_KEY": "k" * 40, "DATABASE_URL": "sqlite://"})
    assert result.returncode == 0, result.stderr


def test_the_suite_runs_on_the_database_it_was_given(app):
    from app.extensions import db

    wanted = (database_url(os.environ.get("TEST_DATABASE_URL")) or "sqlite://").split(":")[0]
    with app.app_context():
        assert db.engine.dialect.name == wanted.split("+")[0].replace("mariadb", "mysql")
