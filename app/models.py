"""Database models. Times are stored in UTC and always read back timezone-aware."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import UTC, datetime, timedelta
from functools import cache

import sqlalchemy as sa
from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_login import AnonymousUserMixin, UserMixin
from sqlalchemy.dialects import mysql
from sqlalchemy.orm import Mapped, WriteOnlyMapped, mapped_column, relationship

from app.extensions import db
from app.markdown import PREVIEW_SOURCE_LENGTH

# 100,000 characters need up to 400 kB; MariaDB's TEXT stops at 64 kB.
LONG_TEXT = sa.Text().with_variant(mysql.MEDIUMTEXT(), "mysql", "mariadb")


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(sa.types.TypeDecorator):
    """A timezone-aware UTC datetime on every database.

    PostgreSQL keeps the offset itself; SQLite and MariaDB store naive values, so they get
    UTC on the way in and have it re-attached on the way out. MariaDB also needs an
    explicit precision to keep microseconds.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    @property
    def python_type(self) -> type:
        return datetime

    def load_dialect_impl(self, dialect):
        if dialect.name in ("mysql", "mariadb"):
            return dialect.type_descriptor(mysql.DATETIME(fsp=6))
        return dialect.type_descriptor(sa.DateTime(timezone=True))

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use an aware UTC datetime")
        value = value.astimezone(UTC)
        return value if dialect.name == "postgresql" else value.replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def password_hasher() -> PasswordHasher:
    """Argon2id with the profile the app is configured for (tests use a cheap one)."""
    profile = getattr(profiles, current_app.config["PASSWORD_HASH_PROFILE"])
    return PasswordHasher.from_parameters(profile)


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(32))
    # Lower-cased username: the unique constraint makes names unique case-insensitively.
    username_key: Mapped[str] = mapped_column(sa.String(32), unique=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    is_admin: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # Bumped on logout: every session and remember-me cookie issued before stops working.
    session_version: Mapped[int] = mapped_column(default=1, server_default="1")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    notes: WriteOnlyMapped[Note] = relationship(back_populates="author", passive_deletes=True)
    feedback: WriteOnlyMapped[Feedback] = relationship(
        back_populates="author", passive_deletes=True
    )

    def __init__(self, *, username: str, email: str, password: str, **fields) -> None:
        super().__init__(username=username, username_key=username.lower(), email=email, **fields)
        self.set_password(password)

    def set_password(self, password: str) -> None:
        self.password_hash = password_hasher().hash(password)

    def check_password(self, password: str) -> bool:
        try:
            return password_hasher().verify(self.password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @classmethod
    def from_login_id(cls, login_id: str) -> User | None:
        """The member a session's `get_id()` names; one from before their last logout
        (an older session version) is nobody."""
        id, _, version = login_id.partition(":")
        if not (id.isascii() and id.isdigit() and version.isascii() and version.isdigit()):
            return None
        user = db.session.get(cls, int(id))
        if user is None or user.session_version != int(version):
            return None
        return user

    def end_sessions(self) -> None:
        """Sign out everywhere: sessions carrying the old version no longer load a user."""
        self.session_version += 1

    def __repr__(self) -> str:
        return f"<User {self.username!r}>"


class AnonymousUser(AnonymousUserMixin):
    """A visitor who is not signed in: never an admin, owns nothing."""

    id = None
    is_admin = False


# Where an item stands, as the team says: every item starts open. "duplicate" is set by
# merging it into another item, never chosen directly.
STATUSES = {
    "open": "Open",
    "under_review": "Under review",
    "planned": "Planned",
    "in_progress": "In progress",
    "done": "Done",
    "declined": "Declined",
    "duplicate": "Duplicate",
}
STATUS_CHECK = "status IN ({})".format(", ".join(f"'{status}'" for status in STATUSES))


# How long the manage link of anonymous feedback lets its sender edit it (withdrawing
# it works for as long as it exists).
MANAGE_EDIT_WINDOW = timedelta(days=7)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Feedback(db.Model):
    __tablename__ = "feedback"
    # Lists are newest first unless asked otherwise; the id breaks ties. The public list
    # filters on hidden and, without a status filter, leaves duplicates out: its indexes end
    # in status, so pages skipped by OFFSET are read from the index alone. The moderators'
    # tabs filter on pending or on nothing.
    __table_args__ = (
        sa.Index("ix_feedback_created_at_id", "created_at", "id"),
        sa.Index("ix_feedback_list_newest", "hidden", "created_at", "id", "status"),
        sa.Index("ix_feedback_list_top", "hidden", "vote_count", "id", "status"),
        sa.Index("ix_feedback_list_discussed", "hidden", "comment_count", "id", "status"),
        sa.Index("ix_feedback_pending_list", "pending", "created_at", "id"),
        # A sender's recent posts (see add_once); also serves the foreign key.
        sa.Index("ix_feedback_author_recent", "author_id", "created_at"),
        # The list's orders with a status filter (see FeedbackList).
        sa.Index("ix_feedback_status_newest", "hidden", "status", "created_at", "id"),
        sa.Index("ix_feedback_status_top", "hidden", "status", "vote_count", "id"),
        sa.Index("ix_feedback_status_discussed", "hidden", "status", "comment_count", "id"),
        sa.CheckConstraint(STATUS_CHECK, name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(80))
    message: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    hidden: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # Held for a moderator's approval (see FEEDBACK_MODERATION); pending items are hidden too.
    pending: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # The id of the form that posted it: a form posted twice stores one item.
    submission_id: Mapped[str | None] = mapped_column(sa.String(32), unique=True)
    # How many Vote rows it has, kept by `Vote.cast` in the transaction that adds or removes
    # one, so lists can show and sort by it without counting.
    vote_count: Mapped[int] = mapped_column(default=0, server_default="0")
    # How many comments it has, kept like vote_count (see Comment.post and delete).
    comment_count: Mapped[int] = mapped_column(default=0, server_default="0")
    status: Mapped[str] = mapped_column(sa.String(12), default="open", server_default="open")
    # When the status last changed (the roadmap shows what was done in the last 90 days).
    status_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The team's public answer (Markdown), and when it was given.
    response: Mapped[str | None] = mapped_column(sa.Text)
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # SHA-256 of the secret in the link an anonymous visitor gets to edit or withdraw it.
    manage_token_hash: Mapped[str | None] = mapped_column(sa.String(64))
    # The original this item was merged into (its status is then "duplicate").
    duplicate_of_id: Mapped[int | None] = mapped_column(sa.ForeignKey("feedback.id"), index=True)

    author: Mapped[User | None] = relationship(back_populates="feedback", lazy="raise")

    # What makes two posts the same post (see add_once).
    SAME_POST = ("author_id", "name", "message")

    @classmethod
    def shown_to_everyone(cls) -> sa.ColumnElement[bool]:
        """The SQL condition for feedback the public lists and search show."""
        return cls.hidden == sa.false()

    @classmethod
    @cache  # statements never change, and building one costs as much as running it
    def public(cls) -> sa.Select:
        """The columns a feedback card shows, of the items everyone may see, newest first
        (served by the index ix_feedback_list_newest). The item's tags come in the same
        statement, their names joined by TAG_SEPARATOR, so a list page needs no other."""
        tag_names = (
            sa.select(sa.func.aggregate_strings(Tag.name, TAG_SEPARATOR))
            .join(FeedbackTag, FeedbackTag.tag_id == Tag.id)
            .where(FeedbackTag.feedback_id == cls.id)
            .scalar_subquery()
        )
        return (
            sa.select(
                cls.id,
                cls.name,
                cls.message,
                cls.created_at,
                cls.vote_count,
                cls.comment_count,
                cls.status,
                tag_names.label("tag_names"),
            )
            .where(cls.shown_to_everyone())
            .order_by(cls.created_at.desc(), cls.id.desc())
        )

    def is_visible_to(self, user) -> bool:
        return not self.hidden or user.is_admin

    @classmethod
    def lock(cls, id: int) -> bool:
        """Lock the item's row until the transaction ends, so changes to its counts queue
        up; False if it is gone. Lock before inserting a row that refers to it: MariaDB's
        foreign key check takes a shared lock on the item, and two transactions holding
        one each would deadlock when they then update it."""
        return (
            db.session.scalar(sa.select(cls.id).where(cls.id == id).with_for_update()) is not None
        )

    def new_manage_token(self) -> str:
        """A new secret for the item's manage link; only its hash is kept."""
        token = secrets.token_urlsafe(32)
        self.manage_token_hash = token_hash(token)
        return token

    def is_managed_by(self, token: str) -> bool:
        return self.manage_token_hash is not None and hmac.compare_digest(
            self.manage_token_hash, token_hash(token)
        )

    @property
    def editable_until(self) -> datetime:
        return self.created_at + MANAGE_EDIT_WINDOW

    def delete(self) -> None:
        """Delete the item, with its votes, comments and history. Items merged into it are
        reopened and notes made from it unlinked: the links would lead nowhere (they have
        no ON DELETE action, see the "add duplicate links" revision). The caller commits."""
        db.session.execute(
            sa.update(Feedback)
            .where(Feedback.duplicate_of_id == self.id)
            .values(duplicate_of_id=None, status="open")
        )
        db.session.execute(
            sa.update(Tag)
            .where(
                Tag.id.in_(sa.select(FeedbackTag.tag_id).where(FeedbackTag.feedback_id == self.id))
            )
            .values(item_count=Tag.item_count - 1)
        )
        # Notes made from it stay their authors', quoting it.
        db.session.execute(
            sa.update(Note).where(Note.feedback_id == self.id).values(feedback_id=None)
        )
        db.session.delete(self)

    def set_tags(self, tag_ids: set[int]) -> None:
        """Make the item carry exactly the tags `tag_ids`, and count them on the tags. The
        item is locked first, so two admins tagging it take turns. The caller commits."""
        Feedback.lock(self.id)
        mine = FeedbackTag.feedback_id == self.id
        before = set(db.session.scalars(sa.select(FeedbackTag.tag_id).where(mine)))
        removed, added = before - tag_ids, tag_ids - before
        if removed:
            db.session.execute(sa.delete(FeedbackTag).where(mine, FeedbackTag.tag_id.in_(removed)))
            db.session.execute(
                sa.update(Tag).where(Tag.id.in_(removed)).values(item_count=Tag.item_count - 1)
            )
        if added:
            db.session.add_all(FeedbackTag(feedback_id=self.id, tag_id=id) for id in added)
            db.session.flush()
            db.session.execute(
                sa.update(Tag).where(Tag.id.in_(added)).values(item_count=Tag.item_count + 1)
            )

    def merge_into(self, original: Feedback, by: User) -> bool:
        """Make this item a duplicate of `original` and move its votes there: a member who
        voted for both keeps one vote; items merged into this one follow it. The caller
        has checked that neither is a duplicate (so no loop can form), and commits.

        False, with nothing changed, when another request merged or deleted either item
        since that check: the rows are locked, then checked again.
        """
        for id in sorted((self.id, original.id)):  # one order, so merges never deadlock
            if not Feedback.lock(id):
                return False
        db.session.refresh(self)
        db.session.refresh(original)
        if self.duplicate_of_id is not None or original.duplicate_of_id is not None:
            return False
        db.session.execute(
            sa.update(Feedback)
            .where(Feedback.duplicate_of_id == self.id)
            .values(duplicate_of_id=original.id)
        )
        theirs = sa.select(Vote.user_id).where(Vote.feedback_id == original.id)
        moved = sa.select(sa.literal(original.id), Vote.user_id, Vote.created_at).where(
            Vote.feedback_id == self.id, Vote.user_id.not_in(theirs)
        )
        db.session.execute(
            sa.insert(Vote).from_select(["feedback_id", "user_id", "created_at"], moved)
        )
        db.session.execute(sa.delete(Vote).where(Vote.feedback_id == self.id))
        counted = (
            sa.select(sa.func.count())
            .select_from(Vote)
            .where(Vote.feedback_id == original.id)
            .scalar_subquery()
        )
        db.session.execute(
            sa.update(Feedback).where(Feedback.id == original.id).values(vote_count=counted)
        )
        self.vote_count = 0
        self.duplicate_of_id = original.id
        self.set_status("duplicate", self.response, by=by)
        db.session.refresh(original)
        return True

    def set_status(self, status: str, response: str | None, by: User) -> StatusChange | None:
        """Set the status and the team's response, and keep the change in the item's history;
        nothing happens (None) when neither changes. The caller commits."""
        response = response or None
        if status == self.status and response == self.response:
            return None
        now = utcnow()
        change = StatusChange(
            feedback_id=self.id,
            status=status,
            response=response if response != self.response else None,
            changed_by_id=by.id,
            created_at=now,
        )
        if status != self.status:
            self.status, self.status_changed_at = status, now
        if response != self.response:
            self.response, self.responded_at = response, now if response else None
        db.session.add(change)
        return change

    def __repr__(self) -> str:
        return f"<Feedback {self.id} by {self.name!r}>"


class StatusChange(db.Model):
    """One change of an item's status or of the team's response: the item's history."""

    __tablename__ = "status_changes"
    __table_args__ = (
        sa.Index("ix_status_changes_feedback", "feedback_id", "created_at"),
        sa.CheckConstraint(STATUS_CHECK, name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    feedback_id: Mapped[int] = mapped_column(sa.ForeignKey("feedback.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(sa.String(12))
    # The response given with this change, if it gave a new one.
    response: Mapped[str | None] = mapped_column(sa.Text)
    changed_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Written:
    """What notes and comments share: an author, and whether it was edited since."""

    def __init__(self, **fields) -> None:
        # One moment for both, so a new one does not read as edited.
        now = fields.pop("created_at", None) or utcnow()
        super().__init__(created_at=now, updated_at=fields.pop("updated_at", now), **fields)

    def is_owned_by(self, user) -> bool:
        return user.id is not None and user.id == self.author_id

    @property
    def was_edited(self) -> bool:
        return self.updated_at > self.created_at


class Note(Written, db.Model):
    __tablename__ = "notes"
    __table_args__ = (
        sa.CheckConstraint("visibility IN ('public', 'private')", name="visibility"),
        # The public list and each member's own list, newest first.
        sa.Index("ix_notes_public_list", "visibility", "hidden", "created_at", "id"),
        sa.Index("ix_notes_author_list", "author_id", "created_at", "id"),
        # Moderators list public notes, hidden or not.
        sa.Index("ix_notes_moderation_list", "visibility", "created_at", "id"),
        # A member's notes about a feedback item.
        sa.Index("ix_notes_feedback", "feedback_id", "author_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(120))
    content: Mapped[str] = mapped_column(LONG_TEXT)
    visibility: Mapped[str] = mapped_column(sa.String(7), default="private")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # When its author last changed it (a moderator's hide is no edit); set by the edit view.
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    hidden: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    submission_id: Mapped[str | None] = mapped_column(sa.String(32), unique=True)
    # The feedback item the note was made from, if any (see Feedback.delete).
    feedback_id: Mapped[int | None] = mapped_column(sa.ForeignKey("feedback.id"))

    author: Mapped[User] = relationship(back_populates="notes", lazy="raise")

    SAME_POST = ("author_id", "title", "content")

    @property
    def is_public(self) -> bool:
        return self.visibility == "public"

    @classmethod
    @cache  # statements never change, and building one costs as much as running it
    def cards(cls) -> sa.Select:
        """The columns a note card shows, newest first: the start of the note's content
        (enough for its preview, not up to 100,000 characters) and its author's name."""
        return (
            sa.select(
                cls.id,
                cls.title,
                sa.func.substr(cls.content, 1, PREVIEW_SOURCE_LENGTH).label("content"),
                cls.created_at,
                (cls.visibility == "public").label("is_public"),
                cls.hidden,
                User.username.label("author_name"),
            )
            .join(cls.author)
            .order_by(cls.created_at.desc(), cls.id.desc())
        )

    @classmethod
    def shown_to_everyone(cls) -> sa.ColumnElement[bool]:
        """The SQL condition for notes the public lists and search show."""
        return sa.and_(cls.visibility == "public", cls.hidden == sa.false())

    @classmethod
    @cache
    def public(cls) -> sa.Select:
        """Cards of the notes everyone may see (index ix_notes_public_list)."""
        return cls.cards().where(cls.shown_to_everyone())

    @classmethod
    def written_by(cls, user_id: int) -> sa.Select:
        """Cards of every note of a member, private and hidden ones too: only they see
        this list (index ix_notes_author_list)."""
        return cls.cards().where(cls.author_id == user_id)

    def is_visible_to(self, user) -> bool:
        """Private notes exist only for their owner. Hidden ones are seen by admins and
        by their owner, who can still read, copy or delete them."""
        if self.is_owned_by(user):
            return True
        return self.is_public and (not self.hidden or user.is_admin)

    def __repr__(self) -> str:
        return f"<Note {self.id} {self.title!r}>"


class Vote(db.Model):
    """A member's vote for a feedback item: one each, which the primary key enforces."""

    __tablename__ = "votes"
    # The primary key finds an item's voters; this finds a member's votes.
    __table_args__ = (sa.Index("ix_votes_user_id", "user_id", "feedback_id"),)

    feedback_id: Mapped[int] = mapped_column(
        sa.ForeignKey("feedback.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @classmethod
    def cast(cls, item_id: int, user_id: int, wanted: bool) -> int | None:
        """Make the member's vote on the item `wanted`: idempotent, so voting twice is one
        vote. Returns the item's vote count, or None if the item is gone or merged. The
        caller commits.

        The item's row is locked first, so votes on one item queue up and its count moves
        with each vote row, in the same transaction. (Locking it after inserting the vote
        would deadlock on MariaDB, whose foreign key check takes a shared lock on it.) The
        reads lock too: a locking read sees the newest committed rows, where MariaDB's
        plain reads would see the snapshot taken when the request first read anything.
        """
        # A duplicate takes no votes: one merged since the caller looked counts as gone.
        locked = (
            sa.select(Feedback.vote_count)
            .where(Feedback.id == item_id, Feedback.duplicate_of_id.is_(None))
            .with_for_update()
        )
        votes = db.session.scalar(locked)
        if votes is None:
            return None
        mine = sa.and_(cls.feedback_id == item_id, cls.user_id == user_id)
        voted = db.session.scalar(sa.select(cls.user_id).where(mine).with_for_update())
        if wanted == (voted is not None):
            return votes
        if wanted:
            db.session.add(cls(feedback_id=item_id, user_id=user_id))
            db.session.flush()
        else:
            db.session.execute(sa.delete(cls).where(mine))
        change = 1 if wanted else -1
        change_count(item_id, Feedback.vote_count, change)
        return votes + change


# Joins tag names in a card's row: never in a name, whose white space the tag form folds
# into single spaces (str.split() counts this control character as white space).
TAG_SEPARATOR = "\x1f"


def tag_slug(name: str) -> str:
    """A tag's form in URLs (`?tag=`): its name lower-cased, spaces as `-`."""
    return name.lower().replace(" ", "-")


class Tag(db.Model):
    """A label admins put on feedback; the list filters by it."""

    __tablename__ = "tags"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(30))
    # Unique: names are unique case-insensitively, and so are their URL forms.
    slug: Mapped[str] = mapped_column(sa.String(30), unique=True)
    # How many items carry it, kept by Feedback.set_tags and Feedback.delete: the list
    # filters a common tag and a rare one differently (see FeedbackList.conditions).
    item_count: Mapped[int] = mapped_column(default=0, server_default="0")

    def __init__(self, *, name: str) -> None:
        super().__init__(name=name, slug=tag_slug(name))

    @classmethod
    def every(cls) -> list[Tag]:
        """Every tag, in the order menus and lists show them."""
        return list(db.session.scalars(sa.select(cls).order_by(cls.slug)))


class FeedbackTag(db.Model):
    """A tag on an item."""

    __tablename__ = "feedback_tags"
    # The primary key finds an item's tags; this finds a tag's items.
    __table_args__ = (sa.Index("ix_feedback_tags_tag", "tag_id", "feedback_id"),)

    feedback_id: Mapped[int] = mapped_column(
        sa.ForeignKey("feedback.id", ondelete="CASCADE"), primary_key=True
    )
    tag_id: Mapped[int] = mapped_column(
        sa.ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True
    )


class Comment(Written, db.Model):
    """A member's comment on a feedback item (Markdown). It outlives its author's account."""

    __tablename__ = "comments"
    __table_args__ = (
        # An item's comments, oldest first.
        sa.Index("ix_comments_feedback_list", "feedback_id", "created_at", "id"),
        # An author's recent comments (see add_once); also serves the foreign key.
        sa.Index("ix_comments_author_recent", "author_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    feedback_id: Mapped[int] = mapped_column(sa.ForeignKey("feedback.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    author: Mapped[User | None] = relationship(lazy="raise")
    feedback: Mapped[Feedback] = relationship(lazy="raise")

    SAME_POST = ("author_id", "feedback_id", "body")

    @classmethod
    def post(cls, item_id: int, author_id: int, body: str) -> Comment | None:
        """Add a comment to the item and count it; None if the item is gone. A repeat of
        the same comment within a minute is the earlier one. The caller commits."""
        if not Feedback.lock(item_id):
            return None
        comment, created = add_once(cls(feedback_id=item_id, author_id=author_id, body=body))
        if created:
            change_count(item_id, Feedback.comment_count, +1)
        return comment

    def delete(self) -> None:
        """Remove the comment and uncount it, once even if two requests delete it at the
        same moment. The caller commits."""
        Feedback.lock(self.feedback_id)
        deleted = db.session.execute(sa.delete(Comment).where(Comment.id == self.id))
        if deleted.rowcount == 1:
            change_count(self.feedback_id, Feedback.comment_count, -1)


def change_count(item_id: int, column: sa.orm.InstrumentedAttribute, change: int) -> None:
    """Add `change` to one of an item's counts, in SQL, so concurrent changes all count."""
    db.session.execute(
        sa.update(Feedback).where(Feedback.id == item_id).values({column: column + change})
    )


# The same words from the same sender within this long are one post sent twice.
REPEAT_WINDOW = timedelta(minutes=1)


def add_once(item: Feedback | Note | Comment) -> tuple[Feedback | Note | Comment, bool]:
    """Add `item` unless it was posted before; the caller commits.

    A post is "before" when its form was posted already (the same submission id, for the
    models that keep one), or when
    the same sender posted the same words within REPEAT_WINDOW: the browser's back button
    can show the form again with a fresh id, and the visitor sends it a second time.
    Returns the stored item (the earlier one for a repeated post) and whether it is new.
    """
    model = type(item)

    def first(condition: sa.ColumnElement[bool]):
        return db.session.scalars(sa.select(model).where(condition).limit(1)).first()

    # Two statements, not one with OR: SQLite's statistics count every stored NULL
    # submission id as one value, and then it read the whole table for the OR.
    def earlier():
        submission_id = getattr(item, "submission_id", None)
        if submission_id and (found := first(model.submission_id == submission_id)):
            return found
        return first(
            sa.and_(
                model.created_at >= utcnow() - REPEAT_WINDOW,
                *(getattr(model, name) == getattr(item, name) for name in model.SAME_POST),
            )
        )

    if (found := earlier()) is not None:
        return found, False
    try:
        with db.session.begin_nested():
            db.session.add(item)
    except sa.exc.IntegrityError:
        # The same form posted twice at once: the other request stored it first.
        if (found := earlier()) is None:
            raise
        return found, False
    return item, True
