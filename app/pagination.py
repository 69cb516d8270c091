"""Pages of newest-first lists, without COUNT(*) and at the same cost at any depth.

- The newer/older links (`rel="prev"`/`rel="next"`) carry a keyset cursor, the
  `(created_at, id)` of the item at the page's edge: `?after=<cursor>` is the page of items
  older than it, `?before=<cursor>` the page newer than it. A step is one range scan of the
  list's index wherever it starts.
- `?page=N` pages are numbered, for bookmarks, up to MAX_PAGE. They skip rows with OFFSET,
  reading only ids from the list's index for the skipped rows, then the page's own rows.
- One row more than a page is fetched to know whether another page exists; nothing counts
  the whole table.
"""

import re
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from flask import abort, request
from markupsafe import Markup
from werkzeug.exceptions import NotFound

from app.extensions import db

# A page number past this is refused with advice (see PageTooDeep): OFFSET reads every
# skipped row's index entry, and a page number must not cost a scan of the whole table.
# The older links go on from there at the cost of any other page.
MAX_PAGE = 500
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# ASCII digits only: Python's \d and int() also read other scripts' digits ("١").
CURSOR = re.compile(r"([0-9]{1,17})-([0-9]{1,10})")
PAGE_NUMBER = re.compile(r"[0-9]{1,9}")


@dataclass(frozen=True)
class Page:
    items: list
    number: int | None  # None on a cursor page: its position is not known without counting
    next_args: dict | None = None  # query arguments of the older page, if there is one
    prev_args: dict | None = None  # query arguments of the newer page, if there is one
    start: int = 0  # how many items come before this page's, on a numbered page
    # Search results only: how many there are (and whether that is all the search keeps),
    # and each item's highlighted excerpt.
    total: int | None = None
    capped: bool = False
    snippets: dict[int, Markup] = field(default_factory=dict)

    @property
    def nearby(self) -> range:
        """Page numbers to link around the current one (none on a cursor page)."""
        if self.number is None:
            return range(0)
        last = self.number + 1 if self.next_args is not None else self.number
        return range(max(1, self.number - 2), min(last, MAX_PAGE) + 1)


class PageTooDeep(NotFound):
    """A page number past MAX_PAGE: a 404 whose page says how to go further back."""


def requested_page() -> int:
    """The `?page=` number: 1 to MAX_PAGE; anything else that is not a page is a 404."""
    raw = request.args.get("page", "1")
    if PAGE_NUMBER.fullmatch(raw) is None or int(raw) < 1:
        abort(404)
    if int(raw) > MAX_PAGE:
        raise PageTooDeep
    return int(raw)


def numbered_page(number: int, rows: list, per_page: int) -> Page:
    """Page `number`, from the `per_page + 1` rows read from its start; past the end: 404."""
    if number > 1 and not rows:
        abort(404)
    prev_args = None if number == 1 else ({} if number == 2 else {"page": number - 1})
    next_args = {"page": number + 1} if len(rows) > per_page else None
    return Page(rows[:per_page], number, next_args, prev_args, start=(number - 1) * per_page)


def encode_cursor(item) -> str:
    return f"{(item.created_at - EPOCH) // timedelta(microseconds=1)}-{item.id}"


def decode_cursor(value: str) -> tuple[datetime, int]:
    """The (created_at, id) a cursor names; anything malformed is a 404."""
    match = CURSOR.fullmatch(value)
    if match is None or int(match.group(2)) > 2**31 - 1:
        abort(404)
    try:
        created_at = EPOCH + timedelta(microseconds=int(match.group(1)))
    except OverflowError:
        abort(404)
    return created_at, int(match.group(2))


def cursor(model, value: str) -> sa.Tuple:
    """The (created_at, id) a cursor names, as SQL typed like the model's columns."""
    created_at, id = decode_cursor(value)
    return sa.tuple_(sa.literal(created_at, model.created_at.type), sa.literal(id))


def rows_of(query: sa.Select) -> list[sa.Row]:
    return db.session.execute(query).all()


def paginate(query: sa.Select, model, per_page: int) -> Page:
    """The page of `query` the request asks for: `?after=`, `?before=` or `?page=`.

    `query` selects columns of `model` (its id and created_at among them), newest first by
    (created_at, id), as an index of the table orders them.
    """
    after, before = request.args.get("after"), request.args.get("before")
    if after is not None and before is not None:
        abort(404)
    key = sa.tuple_(model.created_at, model.id)

    if after is not None:
        found = rows_of(query.where(key < cursor(model, after)).limit(per_page + 1))
        if not found:
            abort(404)
        items = found[:per_page]
        newer = {"before": encode_cursor(items[0])}
        return Page(items, None, older_than(items, len(found) > per_page), newer)

    if before is not None:
        oldest_first = query.order_by(None).order_by(model.created_at, model.id)
        found = rows_of(oldest_first.where(key > cursor(model, before)).limit(per_page + 1))
        if len(found) > per_page:
            items = found[:per_page][::-1]
            return Page(items, None, older_than(items, True), {"before": encode_cursor(items[0])})
        # Nothing newer beyond these: this is the top of the list, so show the first page
        # (a full one), not a short page of whatever happened to be newer than the cursor.

    number = 1 if before is not None else requested_page()
    offset = (number - 1) * per_page
    if offset:
        # The skipped rows are read from the list's index alone, ids only; whole rows are
        # read for the page itself.
        ids = query.with_only_columns(model.id).limit(per_page + 1).offset(offset).subquery()
        rows = rows_of(query.join(ids, model.id == ids.c.id))
    else:
        rows = rows_of(query.limit(per_page + 1))
    page = numbered_page(number, rows, per_page)
    # The older link is a cursor, so stepping on from a deep page stays cheap.
    return replace(page, next_args=older_than(page.items, len(rows) > per_page))


def older_than(items: list, more: bool) -> dict | None:
    """The link arguments of the page older than `items`, if there is one."""
    return {"after": encode_cursor(items[-1])} if more else None
