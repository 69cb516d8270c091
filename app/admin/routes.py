"""Moderation. Every route here is for admins only; see `require_admin`.

Feedback and public notes are listed in tabs, each a paginated list served by an index:
what waits for approval, what a moderator hid, and everything.
"""

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.admin.forms import ItemTagsForm, MergeForm, StatusForm, TagForm
from app.extensions import db, login_manager
from app.feedback.routes import render_item
from app.models import STATUSES, Feedback, FeedbackTag, Note, Tag, User
from app.pagination import paginate

bp = Blueprint("admin", __name__)

MODELS = {"feedback": Feedback, "notes": Note}

# Each tab's condition on top of what a moderator may see of the kind at all.
FEEDBACK_TABS = {
    "pending": Feedback.pending == sa.true(),
    "hidden": sa.and_(Feedback.hidden == sa.true(), Feedback.pending == sa.false()),
    "all": sa.true(),
}
NOTE_TABS = {
    "hidden": Note.hidden == sa.true(),
    "all": sa.true(),
}
TABS = {"feedback": FEEDBACK_TABS, "notes": NOTE_TABS}
# "99+": the pending count stops here, so a flood of spam cannot make the page slow.
PENDING_COUNT_LIMIT = 100


@bp.before_request
def require_admin():
    """Anonymous visitors are sent to log in; members who are not admins get a 403."""
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not current_user.is_admin:
        abort(403)
    return None


def requested_tab(kind: str, default: str) -> str:
    """The `?tab=` of a moderation list; an unknown one is a 400, not an empty list."""
    tab = request.args.get("tab", default)
    if tab not in TABS[kind]:
        abort(400, f"There is no “{tab}” tab; choose one of {', '.join(TABS[kind])}.")
    return tab


def pending_count() -> int:
    held = sa.select(Feedback.id).where(FEEDBACK_TABS["pending"]).limit(PENDING_COUNT_LIMIT)
    return db.session.scalar(sa.select(sa.func.count()).select_from(held.subquery()))


@bp.get("/")
def index():
    pending = pending_count()
    tab = requested_tab("feedback", "pending" if pending else "all")
    query = (
        sa.select(
            Feedback.id,
            Feedback.name,
            Feedback.message,
            Feedback.created_at,
            Feedback.hidden,
            Feedback.pending,
        )
        .where(FEEDBACK_TABS[tab])
        .order_by(Feedback.created_at.desc(), Feedback.id.desc())
    )
    page = paginate(query, Feedback, current_app.config["ADMIN_PER_PAGE"])
    return render_template(
        "admin/feedback.html", page=page, tab=tab, pending=pending, limit=PENDING_COUNT_LIMIT
    )


@bp.get("/notes")
def notes():
    tab = requested_tab("notes", "all")
    # Private notes are their owners' alone, even for moderators.
    query = (
        sa.select(Note.id, Note.title, Note.created_at, Note.hidden, User.username)
        .join(Note.author)
        .where(Note.visibility == "public", NOTE_TABS[tab])
        .order_by(Note.created_at.desc(), Note.id.desc())
    )
    page = paginate(query, Note, current_app.config["ADMIN_PER_PAGE"])
    return render_template("admin/notes.html", page=page, tab=tab)


@bp.post("/<any(feedback, notes):kind>/<id:id>/<any(hide, restore, delete):action>")
def moderate(kind: str, id: int, action: str):
    item = db.get_or_404(MODELS[kind], id)
    if kind == "notes" and not item.is_public:
        abort(404)
    if action == "delete" and kind == "feedback":
        item.delete()  # reopens what was merged into it
    elif action == "delete":
        db.session.delete(item)
    else:
        item.hidden = action == "hide"
        if kind == "feedback":
            item.pending = False  # published, or hidden by a moderator: decided either way
    db.session.commit()
    noun = "Feedback" if kind == "feedback" else "Note"
    past = {"hide": "hidden", "restore": "published", "delete": "deleted"}[action]
    flash(f"{noun} #{id} {past}.", "success")
    # Back to the tab the moderator acted from.
    tab = request.args.get("tab")
    endpoint = ".index" if kind == "feedback" else ".notes"
    return redirect(url_for(endpoint, tab=tab if tab in TABS[kind] else None))


@bp.post("/feedback/<id:id>/status")
def set_status(id: int):
    item = db.get_or_404(Feedback, id)
    if item.duplicate_of_id is not None:
        abort(409, f"#{id} is merged into #{item.duplicate_of_id}: set the original's status.")
    form = StatusForm()
    if not form.validate():
        return render_item(item, status_form=form)
    if item.set_status(form.status.data, form.response.data, by=current_user) is None:
        flash("Nothing changed: that is already the status and the response.", "info")
    else:
        db.session.commit()
        flash(f"#{id} is now “{STATUSES[item.status]}”.", "success")
    return redirect(url_for("feedback.detail", id=id))


@bp.route("/tags", methods=["GET", "POST"])
def tags():
    form = TagForm()
    if form.validate_on_submit():
        db.session.add(Tag(name=form.name.data))
        try:
            db.session.commit()
        except sa.exc.IntegrityError:  # the same tag added at the same moment
            db.session.rollback()
            form.name.errors.append("That tag was just added by someone else.")
        else:
            flash(f"Tag “{form.name.data}” added.", "success")
            return redirect(url_for(".tags"))
    all_tags = Tag.every()
    status = 422 if form.errors else 200
    return render_template("admin/tags.html", form=form, tags=all_tags), status


@bp.post("/tags/<id:id>/delete")
def delete_tag(id: int):
    tag = db.get_or_404(Tag, id)
    name = tag.name
    db.session.execute(sa.delete(FeedbackTag).where(FeedbackTag.tag_id == id))
    db.session.delete(tag)
    db.session.commit()
    flash(f"Tag “{name}” deleted; no item carries it now.", "success")
    return redirect(url_for(".tags"))


@bp.post("/feedback/<id:id>/tags")
def set_tags(id: int):
    item = db.get_or_404(Feedback, id)
    all_tags = Tag.every()
    form = ItemTagsForm(all_tags)
    if not form.validate():
        return render_item(item, tags_form=form)
    chosen = {tag.id for tag in all_tags if tag.name in (form.tags.data or ())}
    try:
        item.set_tags(chosen)
        db.session.commit()
    except sa.exc.IntegrityError:  # a chosen tag was deleted meanwhile
        db.session.rollback()
        abort(409, "A tag was deleted while you chose; nothing changed. Try again.")
    flash(f"#{id} now carries {len(chosen)} tag{'' if len(chosen) == 1 else 's'}.", "success")
    return redirect(url_for("feedback.detail", id=id))


@bp.post("/feedback/<id:id>/merge")
def merge(id: int):
    item = db.get_or_404(Feedback, id)
    form = MergeForm(item)
    if not form.validate():
        return render_item(item, merge_form=form)
    if not item.merge_into(form.original, by=current_user):
        db.session.rollback()
        abort(409, "One of the two items was merged or deleted meanwhile; nothing changed.")
    db.session.commit()
    flash(f"#{id} is merged into #{form.original.id}; its votes went along.", "success")
    return redirect(url_for("feedback.detail", id=form.original.id))
