"""Editing and deleting comments. They are posted from the item's page (see feedback)."""

import math

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.feedback.forms import CommentForm
from app.models import Comment, utcnow

bp = Blueprint("comments", __name__)

# An item's page shows its comments this many at a time, oldest first.
COMMENTS_PER_PAGE = 50


def comment_url(comment: Comment) -> str:
    """The comment on its item's page: the page of comments that holds it, at its anchor."""
    position = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Comment)
        .where(
            Comment.feedback_id == comment.feedback_id,
            sa.tuple_(Comment.created_at, Comment.id) <= (comment.created_at, comment.id),
        )
    )
    page = max(1, math.ceil(position / COMMENTS_PER_PAGE))
    return url_for(
        "feedback.detail",
        id=comment.feedback_id,
        page=page if page > 1 else None,
        _anchor=f"comment-{comment.id}",
    )


def get_comment(id: int, action: str) -> Comment:
    """The comment `id`, if the current user may `action` it ("edit" or "delete").

    404 when it does not exist or its item is hidden from the user; 403 when it is not
    theirs (admins may delete any comment they can see).
    """
    comment = db.session.get(Comment, id, options=[joinedload(Comment.feedback)])
    if comment is None or not comment.feedback.is_visible_to(current_user):
        abort(404)
    allowed = comment.is_owned_by(current_user) or (action == "delete" and current_user.is_admin)
    if not allowed:
        abort(403)
    return comment


@bp.route("/<id:id>/edit", methods=["GET", "POST"])
@login_required
def edit(id: int):
    comment = get_comment(id, "edit")
    form = CommentForm(obj=comment)
    if form.validate_on_submit():
        if form.body.data != comment.body:
            comment.body = form.body.data
            comment.updated_at = utcnow()
            db.session.commit()
        flash("Your comment is saved.", "success")
        return redirect(comment_url(comment))
    status = 422 if form.is_submitted() else 200
    return render_template("comments/edit.html", form=form, comment=comment), status


@bp.post("/<id:id>/delete")
@login_required
def delete(id: int):
    comment = get_comment(id, "delete")
    item_id = comment.feedback_id
    comment.delete()
    db.session.commit()
    flash("The comment is deleted.", "success")
    return redirect(url_for("feedback.detail", id=item_id, _anchor="comments"))
