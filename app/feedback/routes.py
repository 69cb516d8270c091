"""Feedback pages: the list, one item, and the form to leave some."""

import sqlalchemy as sa
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
from markupsafe import Markup

from app.admin.forms import ItemTagsForm, MergeForm, StatusForm
from app.comments.routes import COMMENTS_PER_PAGE, comment_url
from app.errors import form_kept_when_limited
from app.extensions import db, limiter
from app.feedback.forms import CommentForm, EditFeedbackForm, FeedbackForm
from app.feedback.listing import SORT_LABELS, FeedbackList
from app.models import (
    Comment,
    Feedback,
    FeedbackTag,
    Note,
    StatusChange,
    Tag,
    User,
    Vote,
    add_once,
    utcnow,
)
from app.pagination import Page, numbered_page, paginate, requested_page
from app.search import search

bp = Blueprint("feedback", __name__)


@bp.get("/")
def index():
    listing = FeedbackList.from_args(request.args)
    per_page = current_app.config["FEEDBACK_PER_PAGE"]
    if listing.query:
        # Best match first, unless an order was asked for.
        keys = listing.keys if listing.sort else ()
        conditions = listing.conditions()
        page = search(Feedback, listing.query, per_page, conditions, keys)
    else:
        page = paginate(listing.statement(), Feedback, per_page, listing.keys)
    return render_template(
        "feedback/index.html",
        page=page,
        listing=listing,
        query=listing.query,
        sort_labels=SORT_LABELS,
    )


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
        anonymous = not current_user.is_authenticated
        held = current_app.config["FEEDBACK_MODERATION"] and anonymous
        posted = Feedback(
            name=form.name.data,
            message=form.message.data,
            author_id=None if anonymous else current_user.id,
            hidden=held,
            pending=held,
            submission_id=form.submission_id.data,
        )
        token = posted.new_manage_token() if anonymous else None
        item, created = add_once(posted)
        db.session.commit()
        if held:
            flash("Thank you! Your feedback will appear once a moderator approves it.", "info")
        elif created:
            flash("Thank you, your feedback is posted.", "success")
        if created and token:
            link = url_for(".manage", id=item.id, token=token, _external=True)
            flash(MANAGE_LINK_MESSAGE % {"link": link}, "manage")
        if held:
            return redirect(url_for(".index"))
        return redirect(url_for(".detail", id=item.id))
    return render_template("feedback/new.html", form=form), 422 if form.is_submitted() else 200


# Shown once, after an anonymous post: only a hash of the token is kept.
MANAGE_LINK_MESSAGE = Markup(
    "Keep this private link: with it you can edit your feedback for 7 days, or withdraw it "
    'at any time. It is shown only this once. <a href="%(link)s">%(link)s</a>'
)


def get_item(id: int) -> Feedback:
    """The feedback item `id`; 404 when it does not exist or is hidden from this visitor."""
    item = db.get_or_404(Feedback, id)
    if not item.is_visible_to(current_user):
        abort(404)
    return item


# Admins see who voted, up to this many (the count is always exact).
VOTERS_SHOWN = 100


@bp.get("/<id:id>")
def detail(id: int):
    return render_item(get_item(id))


def render_item(
    item: Feedback,
    status_form: StatusForm | None = None,
    comment_form: CommentForm | None = None,
    tags_form: ItemTagsForm | None = None,
    merge_form: MergeForm | None = None,
):
    """The item's page, with the `?page=` of its comments; with a refused form, the form's
    errors and what was typed, as a 422."""
    voted = current_user.is_authenticated and db.session.get(Vote, (item.id, current_user.id))
    comments = comments_page(item)
    tags = db.session.scalars(
        sa.select(Tag)
        .join(FeedbackTag, FeedbackTag.tag_id == Tag.id)
        .where(FeedbackTag.feedback_id == item.id)
        .order_by(Tag.slug)
    ).all()
    my_notes = []
    if current_user.is_authenticated:  # a member's own notes about it, nobody else's
        my_notes = db.session.execute(
            sa.select(Note.id, Note.title)
            .where(Note.feedback_id == item.id, Note.author_id == current_user.id)
            .order_by(Note.created_at, Note.id)
        ).all()
    merged_from = db.session.scalars(
        sa.select(Feedback.id)
        .where(Feedback.duplicate_of_id == item.id, Feedback.shown_to_everyone())
        .order_by(Feedback.id)
    ).all()
    history = db.session.scalars(
        sa.select(StatusChange)
        .where(StatusChange.feedback_id == item.id)
        .order_by(StatusChange.created_at, StatusChange.id)
    ).all()
    voters = []
    if current_user.is_admin:  # who voted is personal data: admins only
        voters = db.session.scalars(
            sa.select(User.username)
            .join(Vote, Vote.user_id == User.id)
            .where(Vote.feedback_id == item.id)
            .order_by(Vote.created_at, User.id)
            .limit(VOTERS_SHOWN)
        ).all()
        # The forms not sent show the item as it is (formdata=None: not the refused
        # form's fields). A duplicate's status and merging are decided by its original.
        all_tags = Tag.every()
        current = [tag.name for tag in tags]
        tags_form = tags_form or ItemTagsForm(all_tags, formdata=None, tags=current)
        if item.duplicate_of_id is None:
            status_form = status_form or StatusForm(
                formdata=None, status=item.status, response=item.response
            )
            merge_form = merge_form or MergeForm(item, formdata=None)
    if current_user.is_authenticated:
        comment_form = comment_form or CommentForm(formdata=None)
    page = render_template(
        "feedback/detail.html",
        item=item,
        voted=bool(voted),
        comments=comments,
        history=history,
        voters=voters,
        status_form=status_form,
        comment_form=comment_form,
        tags=tags,
        tags_form=tags_form,
        merged_from=merged_from,
        merge_form=merge_form,
        my_notes=my_notes,
    )
    forms = (status_form, comment_form, tags_form, merge_form)
    refused = any(form and form.errors for form in forms)
    return page, 422 if refused else 200


def comments_page(item: Feedback) -> Page:
    """The `?page=` of the item's comments, oldest first, each with its author's name and
    whether they are on the team (None for a deleted account)."""
    number = requested_page()
    rows = db.session.execute(
        sa.select(Comment, User.username, User.is_admin)
        .outerjoin(User, Comment.author_id == User.id)
        .where(Comment.feedback_id == item.id)
        .order_by(Comment.created_at, Comment.id)
        .limit(COMMENTS_PER_PAGE + 1)
        .offset((number - 1) * COMMENTS_PER_PAGE)
    ).all()
    return numbered_page(number, rows, COMMENTS_PER_PAGE)


def log_in_first(action: str, id: int):
    """Send a visitor to log in, then back to the item (a POST cannot be taken up again)."""
    flash(f"Log in to {action}; you will come back to the item.", "info")
    return redirect(url_for("auth.login", next=url_for(".detail", id=id)))


@bp.post("/<id:id>/comments")
def comment(id: int):
    item = get_item(id)
    if not current_user.is_authenticated:
        return log_in_first("comment", id)
    form = CommentForm()
    if not form.validate():
        return render_item(item, comment_form=form)
    posted = Comment.post(id, current_user.id, form.body.data)
    if posted is None:
        abort(404)  # deleted since get_item read it
    db.session.commit()
    flash("Your comment is posted.", "success")
    return redirect(comment_url(posted))


def wants_json() -> bool:
    """True when the request asks for JSON (the page's script) rather than a page."""
    return request.accept_mimetypes.best_match(["text/html", "application/json"]) == (
        "application/json"
    )


@bp.post("/<id:id>/vote")
def vote(id: int):
    item = get_item(id)
    if item.duplicate_of_id is not None:
        abort(409, f"This item was merged into #{item.duplicate_of_id}: vote for that one.")
    if not current_user.is_authenticated:
        if wants_json():
            abort(401)
        return log_in_first("vote", id)
    choice = request.form.get("vote")
    if choice not in ("0", "1"):
        abort(400, "Send vote=1 to vote for the item, or vote=0 to withdraw your vote.")
    votes = Vote.cast(id, current_user.id, wanted=choice == "1")
    if votes is None:
        abort(409, "This item was merged or deleted a moment ago; nothing was counted.")
    db.session.commit()
    if wants_json():
        return {"votes": votes, "voted": choice == "1"}
    flash("Your vote is counted." if choice == "1" else "Your vote is withdrawn.", "success")
    return redirect(url_for(".detail", id=id))


@bp.post("/<id:id>/notes")
def make_note(id: int):
    """A private note for the member that quotes the item and links back; its edit page."""
    item = get_item(id)
    if not current_user.is_authenticated:
        return log_in_first("keep notes", id)
    note = Note(
        title=f"Notes on feedback #{id} from {item.name}"[:120],
        content=quoted(item),
        visibility="private",
        author_id=current_user.id,
        feedback_id=id,
    )
    db.session.add(note)
    db.session.commit()
    flash("A private note quoting the feedback is ready: add your thoughts.", "success")
    return redirect(url_for("notes.edit", id=note.id))


def quoted(item: Feedback) -> str:
    """The item's message as a Markdown quote, then a link back to it."""
    quote = "\n".join(f"> {line}" if line else ">" for line in item.message.splitlines())
    name = item.name.replace("[", "\\[").replace("]", "\\]")
    link = url_for(".detail", id=item.id)
    return f"{quote}\n\n— [Feedback #{item.id} from {name}]({link})\n\n"


def managed_item(id: int, token: str) -> Feedback:
    """The item a manage link names; a wrong token is a 404, like an unknown item."""
    item = db.session.get(Feedback, id)
    if item is None or not item.is_managed_by(token):
        abort(404)
    return item


# A guessed token is a 404, and guessing is limited like logging in.
manage_limit = limiter.limit(
    lambda: current_app.config["RATELIMIT_LOGIN"],
    deduct_when=lambda response: response.status_code == 404,
)


@bp.after_request
def keep_manage_links_private(response):
    """The manage pages' address holds the secret: never send it on, never cache it."""
    if request.endpoint in ("feedback.manage", "feedback.withdraw"):
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/<id:id>/manage/<token>", methods=["GET", "POST"])
@manage_limit
def manage(id: int, token: str):
    item = managed_item(id, token)
    editable = utcnow() < item.editable_until
    form = EditFeedbackForm(obj=item)
    if form.is_submitted() and not editable:
        abort(
            403, "Feedback can be edited for 7 days after it was posted; you can still withdraw it."
        )
    if form.validate_on_submit():
        item.name, item.message = form.name.data, form.message.data
        if current_app.config["FEEDBACK_MODERATION"] and not item.hidden:
            # Changed words need a moderator's approval, as new ones do.
            item.hidden = item.pending = True
            flash("Your changes are saved, and wait for a moderator's approval.", "success")
        else:
            flash("Your changes are saved.", "success")
        db.session.commit()
        return redirect(url_for(".manage", id=id, token=token))
    page = render_template(
        "feedback/manage.html", item=item, form=form, token=token, editable=editable
    )
    return page, 422 if form.errors else 200


@bp.post("/<id:id>/manage/<token>/withdraw")
@manage_limit
def withdraw(id: int, token: str):
    managed_item(id, token).delete()
    db.session.commit()
    flash("Your feedback is withdrawn: it is deleted, with its votes and comments.", "success")
    return redirect(url_for(".index"))
