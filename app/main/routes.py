"""The home page and the liveness/readiness endpoints for load balancers."""

import sqlalchemy as sa
from flask import Blueprint, current_app, render_template

from app.extensions import db
from app.feedback.routes import visible_feedback
from app.notes.routes import public_notes

bp = Blueprint("main", __name__)

PLAIN_TEXT = {"Content-Type": "text/plain; charset=utf-8"}


@bp.get("/")
def index():
    limit = current_app.config["HOME_ITEMS"]
    feedback = db.session.scalars(visible_feedback().limit(limit)).all()
    notes = db.session.scalars(public_notes().limit(limit)).all()
    return render_template("main/index.html", feedback=feedback, notes=notes)


@bp.get("/healthz")
def healthz():
    return "ok", 200, PLAIN_TEXT


@bp.get("/readyz")
def readyz():
    try:
        db.session.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError:
        db.session.rollback()
        return "database unavailable", 503, PLAIN_TEXT
    return "ready", 200, PLAIN_TEXT
