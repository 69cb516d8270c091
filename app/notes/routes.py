"""Notes: the public list, a member's own notes, and writing, editing and deleting them."""

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
from flask_login import current_user, login_required
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import Note, add_once, utcnow
from app.notes.forms import NoteForm
from app.pagination import paginate
from app.search import search

bp = Blueprint("notes", __name__)


def get_note(id: int, action: str = "view") -> Note:
    """The note `id`, if the current user may `action` it ("view", "edit" or "delete").

    404 when it does not exist or the user may not know it does (private to someone else,
    or hidden by a moderator from everyone but its owner and admins); 403 when they can see
    it but it is not theirs to change.
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


@bp.get("/")
def index():
    query = request.args.get("q", "").strip()
    per_page = current_app.config["NOTES_PER_PAGE"]
    page = search(Note, query, per_page) if query else paginate(Note.public(), Note, per_page)
    return render_template("notes/index.html", page=page, query=query)


@bp.get("/mine")
@login_required
def mine():
    page = paginate(Note.written_by(current_user.id), Note, current_app.config["NOTES_PER_PAGE"])
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
        if db.session.is_modified(note):
            note.updated_at = utcnow()
        db.session.commit()
        flash("Your changes are saved.", "success")
        # `id`, not note.id: reading the committed note again would find it gone, had
        # someone deleted it in the meantime.
        return redirect(url_for(".detail", id=id))
    status = 422 if form.is_submitted() else 200
    return render_template("notes/form.html", form=form, note=note), status


@bp.post("/<id:id>/delete")
@login_required
def delete(id: int):
    note = get_note(id, "delete")
    title = note.title
    db.session.delete(note)
    db.session.commit()
    flash(f"Deleted “{title}”.", "success")
    return redirect(url_for(".mine"))
