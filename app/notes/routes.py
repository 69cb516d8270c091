"""Notes: the public list, a member's own notes, and writing, editing and deleting them."""

from functools import cache

import sqlalchemy as sa
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    url_for,
)
from flask_login import current_user, login_required
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import Note, add_once
from app.notes.forms import NoteForm
from app.pagination import paginate
from app.search import search_or_list

bp = Blueprint("notes", __name__)

NEWEST_FIRST = (Note.created_at.desc(), Note.id.desc())


def get_note(id: int, action: str = "view") -> Note:
    """The note `id`, if the current user may `action` it ("view", "edit" or "delete").

    404 when it does not exist or the user may not know it does (private to someone else,
    or hidden by a moderator); 403 when they can see it but it is not theirs to change.
    Admins may delete any note they can see.
    """
    note = db.session.get(Note, id, options=[joinedload(Note.author)])
    if note is None or not note.is_visible_to(current_user):
        abort(404)
    if action == "edit" and not note.is_owned_by(current_user):
        abort(403)
    if action == "delete" and not (note.is_owned_by(current_user) or current_user.is_admin):
        abort(403)
    return note


@cache  # statements are immutable: build this one once, not on every request
def public_notes() -> sa.Select:
    """Notes everyone may see, with their authors, newest first."""
    return Note.cards().where(Note.shown_to_everyone()).order_by(*NEWEST_FIRST)


@bp.get("/")
def index():
    page, query = search_or_list(Note, public_notes(), current_app.config["NOTES_PER_PAGE"])
    return render_template("notes/index.html", page=page, query=query)


@cache  # built once, like the public lists: the member is a parameter
def own_notes() -> sa.Select:
    """A member's notes (those moderators hid aside), newest first."""
    mine = sa.and_(Note.author_id == sa.bindparam("author_id"), Note.hidden == sa.false())
    return Note.cards().where(mine).order_by(*NEWEST_FIRST)


@bp.get("/mine")
@login_required
def mine():
    page = paginate(
        own_notes(), Note, current_app.config["NOTES_PER_PAGE"], author_id=current_user.id
    )
    return render_template("notes/mine.html", page=page)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    form = NoteForm()
    if form.validate_on_submit():
        note, created = add_once(
            Note(
                title=form.title.data,
                content=form.content.data,
                visibility=form.visibility.data,
                author_id=current_user.id,
                submission_id=form.submission_id.data,
            )
        )
        db.session.commit()
        if created:
            flash("Your note is saved.", "success")
        return redirect(url_for(".detail", id=note.id))
    status = 422 if form.is_submitted() else 200
    return render_template("notes/form.html", form=form, note=None), status


@bp.get("/<id:id>")
def detail(id: int):
    return render_template("notes/detail.html", note=get_note(id))


@bp.route("/<id:id>/edit", methods=["GET", "POST"])
@login_required
def edit(id: int):
    note = get_note(id, "edit")
    form = NoteForm(obj=note)
    if form.validate_on_submit():
        # Field by field: nothing else a request carries (author_id, hidden…) is assigned.
        note.title = form.title.data
        note.content = form.content.data
        note.visibility = form.visibility.data
        db.session.commit()
        flash("Your changes are saved.", "success")
        return redirect(url_for(".detail", id=note.id))
    status = 422 if form.is_submitted() else 200
    return render_template("notes/form.html", form=form, note=note), status


@bp.post("/<id:id>/delete")
@login_required
def delete(id: int):
    note = get_note(id, "delete")
    db.session.delete(note)
    db.session.commit()
    flash(f"Deleted “{note.title}”.", "success")
    return redirect(url_for(".mine"))
