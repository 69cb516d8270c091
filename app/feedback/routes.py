"""Feedback pages: the list, one item, and the form to leave some."""

import sqlalchemy as sa
from flask import Blueprint, current_app, flash, redirect, render_template, url_for

from app.extensions import db, limiter
from app.feedback.forms import FeedbackForm
from app.models import Feedback
from app.pagination import paginate

bp = Blueprint("feedback", __name__)


@bp.get("/")
def index():
    newest_first = sa.select(Feedback).order_by(Feedback.created_at.desc(), Feedback.id.desc())
    page = paginate(newest_first, current_app.config["FEEDBACK_PER_PAGE"])
    return render_template("feedback/index.html", page=page)


@bp.route("/new", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_FEEDBACK"], methods=["POST"])
def new():
    form = FeedbackForm()
    if form.validate_on_submit():
        item = Feedback(name=form.name.data, message=form.message.data)
        db.session.add(item)
        db.session.commit()
        flash("Thank you, your feedback is posted.", "success")
        return redirect(url_for(".detail", id=item.id))
    return render_template("feedback/new.html", form=form), 422 if form.is_submitted() else 200


@bp.get("/<id:id>")
def detail(id: int):
    return render_template("feedback/detail.html", item=db.get_or_404(Feedback, id))
