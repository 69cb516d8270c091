"""Moderation. Every route here is for admins only; see `require_admin`."""

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy.orm import joinedload

from app.extensions import db, login_manager
from app.models import Feedback, Note

bp = Blueprint("admin", __name__)

RECENT = 50
MODELS = {"feedback": Feedback, "notes": Note}


@bp.before_request
def require_admin():
    """Anonymous visitors are sent to log in; members who are not admins get a 403."""
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not current_user.is_admin:
        abort(403)
    return None


@bp.get("/")
def index():
    feedback = db.session.scalars(
        sa.select(Feedback).order_by(Feedback.created_at.desc(), Feedback.id.desc()).limit(RECENT)
    ).all()
    # Private notes are their owners' alone, even for moderators.
    notes = db.session.scalars(
        sa.select(Note)
        .options(joinedload(Note.author))
        .where(Note.visibility == "public")
        .order_by(Note.created_at.desc(), Note.id.desc())
        .limit(RECENT)
    ).all()
    return render_template("admin/index.html", feedback=feedback, notes=notes)


@bp.post("/<any(feedback, notes):kind>/<id:id>/<any(hide, restore, delete):action>")
def moderate(kind: str, id: int, action: str):
    item = db.get_or_404(MODELS[kind], id)
    if kind == "notes" and not item.is_public:
        abort(404)
    if action == "delete":
        db.session.delete(item)
    else:
        item.hidden = action == "hide"
    db.session.commit()
    noun = "Feedback" if kind == "feedback" else "Note"
    past = {"hide": "hidden", "restore": "restored", "delete": "deleted"}[action]
    flash(f"{noun} #{id} {past}.", "success")
    return redirect(url_for(".index"))
