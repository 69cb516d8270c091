"""Feedback pages: the list, one item, and the form to leave some."""

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user

from app.errors import form_kept_when_limited
from app.extensions import db, limiter
from app.feedback.forms import FeedbackForm
from app.models import Feedback, add_once
from app.pagination import paginate
from app.search import search

bp = Blueprint("feedback", __name__)


@bp.get("/")
def index():
    query = request.args.get("q", "").strip()
    per_page = current_app.config["FEEDBACK_PER_PAGE"]
    if query:
        page = search(Feedback, query, per_page)
    else:
        page = paginate(Feedback.public(), Feedback, per_page)
    return render_template("feedback/index.html", page=page, query=query)


@bp.route("/new", methods=["GET", "POST"])
@limiter.limit(
    lambda: current_app.config["RATELIMIT_FEEDBACK"],
    methods=["POST"],
    on_breach=form_kept_when_limited(
        FeedbackForm,
        "feedback/new.html",
        "You have sent a lot of feedback in a short time. Wait {wait}, then send it again: "
        "your message is still here.",
    ),
)
def new():
    form = FeedbackForm()
    if current_user.is_authenticated and not form.is_submitted():
        form.name.data = current_user.username
    if form.validate_on_submit():
        held = current_app.config["FEEDBACK_MODERATION"] and not current_user.is_authenticated
        item, created = add_once(
            Feedback(
                name=form.name.data,
                message=form.message.data,
                author_id=current_user.id if current_user.is_authenticated else None,
                hidden=held,
                pending=held,
                submission_id=form.submission_id.data,
            )
        )
        db.session.commit()
        if held:
            flash("Thank you! Your feedback will appear once a moderator approves it.", "info")
            return redirect(url_for(".index"))
        if created:
            flash("Thank you, your feedback is posted.", "success")
        return redirect(url_for(".detail", id=item.id))
    return render_template("feedback/new.html", form=form), 422 if form.is_submitted() else 200


@bp.get("/<id:id>")
def detail(id: int):
    item = db.get_or_404(Feedback, id)
    if not item.is_visible_to(current_user):
        abort(404)
    return render_template("feedback/detail.html", item=item)
