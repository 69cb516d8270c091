"""The home page, the roadmap, and the liveness/readiness endpoints for load balancers."""

from datetime import timedelta
from functools import cache

import sqlalchemy as sa
from alembic.script import ScriptDirectory
from flask import Blueprint, current_app, redirect, render_template, request, url_for

from app.extensions import db, limiter
from app.models import Feedback, Note, utcnow

bp = Blueprint("main", __name__)

PLAIN_TEXT = {"Content-Type": "text/plain; charset=utf-8"}


@bp.get("/")
def index():
    limit = current_app.config["HOME_ITEMS"]
    feedback = db.session.execute(Feedback.public().limit(limit)).all()
    notes = db.session.execute(Note.public().limit(limit)).all()
    return render_template("main/index.html", feedback=feedback, notes=notes)


# Each roadmap column shows this many items, most voted first; its link shows the rest.
ROADMAP_COLUMN = 50
ROADMAP_DONE_DAYS = 90


@bp.get("/roadmap")
def roadmap():
    columns = {}
    for status in ("planned", "in_progress", "done"):
        query = (
            Feedback.public()
            .where(Feedback.status == status)
            .order_by(None)
            .order_by(Feedback.vote_count.desc(), Feedback.id.desc())
        )
        if status == "done":
            since = utcnow() - timedelta(days=ROADMAP_DONE_DAYS)
            query = query.where(Feedback.status_changed_at >= since)
        columns[status] = db.session.execute(query.limit(ROADMAP_COLUMN + 1)).all()
    return render_template(
        "main/roadmap.html",
        columns=columns,
        shown=ROADMAP_COLUMN,
        done_days=ROADMAP_DONE_DAYS,
    )


@bp.get("/search")
def search():
    """The header's search box: hand the query to the list it names."""
    target = "notes.index" if request.args.get("in") == "notes" else "feedback.index"
    query = request.args.get("q", "").strip()
    return redirect(url_for(target, q=query) if query else url_for(target))


@bp.get("/healthz")
def healthz():
    return "ok", 200, PLAIN_TEXT


@bp.get("/readyz")
def readyz():
    """Ready when the database answers and its schema is at the newest migration; a second
    line says when the rate-limit store does not."""
    try:
        db.session.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError:
        db.session.rollback()
        return "database unavailable", 503, PLAIN_TEXT
    if database_revisions() != migration_heads(current_app.extensions["migrate"].directory):
        return "database schema is out of date: run `flask db upgrade`", 503, PLAIN_TEXT
    if not rate_limit_store_answers():
        # Still ready: the forms go on, with limits counted in each worker's memory.
        detail = "rate-limit store unreachable: limits are counted per worker until it answers"
        return f"ready\n{detail}", 200, PLAIN_TEXT
    return "ready", 200, PLAIN_TEXT


def rate_limit_store_answers() -> bool:
    """Whether the rate limiter's store answers. Once Flask-Limiter has found it down, its
    strategy object runs on the in-memory fallback and no probe waits for the store again
    (Flask-Limiter itself re-checks it, less and less often); until then a ping, which
    RATELIMIT_STORAGE_OPTIONS' socket timeout cuts short."""
    if not limiter.enabled:
        return True
    return limiter.limiter.storage is limiter.storage and limiter.storage.check()


def database_revisions() -> set[str]:
    try:
        return set(db.session.scalars(sa.text("SELECT version_num FROM alembic_version")))
    except sa.exc.SQLAlchemyError:  # no alembic_version table: never migrated
        db.session.rollback()
        return set()


@cache
def migration_heads(directory: str) -> set[str]:
    return set(ScriptDirectory(directory).get_heads())
