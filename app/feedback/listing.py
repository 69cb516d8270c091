"""The feedback list's filters and orders: one definition that the list page (and later
its feed, exports and API) reads, so they all show the same items for the same request.

`?status=` one status, `?tag=` a tag's URL form, `?sort=` newest (default), top (most
votes) or discussed (most comments), and `?q=` words to search for, combinable. Without a
status, items merged into another (`duplicate`) are left out. Unknown values are a 400:
an empty list would look like an answer.
"""

from dataclasses import dataclass

import sqlalchemy as sa
from flask import abort
from werkzeug.datastructures import MultiDict

from app.models import STATUSES, Feedback, FeedbackTag, Tag

# Each order's sort key, descending; each is served by an index (see Feedback).
SORTS = {
    "newest": (Feedback.created_at, Feedback.id),
    "top": (Feedback.vote_count, Feedback.id),
    "discussed": (Feedback.comment_count, Feedback.id),
}
# A tag on more items than this is filtered by walking the list's index (SQLite would
# otherwise sort all of a common tag's items on every page: 50 ms for 25,000 of them);
# a rarer one by reading its items and sorting them (a walk could read the whole index).
COMMON_TAG = 1000
SORT_LABELS = {"newest": "Newest", "top": "Most voted", "discussed": "Most discussed"}


@dataclass(frozen=True)
class FeedbackList:
    status: str | None = None
    tag: Tag | None = None
    sort: str | None = None  # None: newest first, or the best match when searching
    query: str = ""
    tags: tuple[Tag, ...] = ()  # every tag, for the page's filter menu

    @classmethod
    def from_args(cls, args: MultiDict) -> "FeedbackList":
        """The list a request's query string asks for; a 400 naming any unknown value."""
        status = args.get("status", "").strip() or None
        if status is not None and status not in STATUSES:
            abort(400, f"There is no status “{status}”; use one of {', '.join(STATUSES)}.")
        sort = args.get("sort", "").strip() or None
        if sort is not None and sort not in SORTS:
            abort(400, f"There is no order “{sort}”; use one of {', '.join(SORTS)}.")
        tags = tuple(Tag.every())
        slug = args.get("tag", "").strip() or None
        tag = next((tag for tag in tags if tag.slug == slug), None)
        if slug is not None and tag is None:
            abort(400, f"There is no tag “{slug}”.")
        query = args.get("q", "").strip()
        return cls(status=status, tag=tag, sort=sort, query=query, tags=tags)

    @property
    def keys(self) -> tuple:
        return SORTS[self.sort or "newest"]

    def conditions(self) -> list[sa.ColumnElement[bool]]:
        """What the filters ask of an item, on top of being shown to everyone."""
        if self.status is None:
            conditions = [Feedback.status != "duplicate"]
        else:
            conditions = [Feedback.status == self.status]
        if self.tag is None:
            return conditions
        if self.tag.item_count > COMMON_TAG:
            # Walk the order's index and keep the items that carry it: one in a thousand
            # or more do, so a page is found after a bounded number of steps. (OFFSET 0
            # keeps PostgreSQL from making this a join, which reads and sorts every item
            # of the tag instead.)
            carries = sa.and_(
                FeedbackTag.feedback_id == Feedback.id, FeedbackTag.tag_id == self.tag.id
            )
            conditions.append(sa.select(FeedbackTag.tag_id).where(carries).offset(0).exists())
        else:
            # Read the tag's few items and sort them.
            tagged = sa.select(FeedbackTag.feedback_id).where(FeedbackTag.tag_id == self.tag.id)
            conditions.append(Feedback.id.in_(tagged))
        return conditions

    def statement(self) -> sa.Select:
        """The cards of the list, in its order."""
        return (
            Feedback.public()
            .where(*self.conditions())
            .order_by(None)
            .order_by(*(column.desc() for column in self.keys))
        )

    @property
    def args(self) -> dict:
        """The query arguments that ask for this list (what links to its pages carry)."""
        values = {
            "q": self.query,
            "status": self.status,
            "tag": self.tag.slug if self.tag else None,
            "sort": self.sort,
        }
        return {name: value for name, value in values.items() if value}
