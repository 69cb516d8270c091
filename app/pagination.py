"""Pages of lists, without COUNT(*) and at the same cost at any depth.

A list is ordered by a sort key, descending: `(created_at, id)` (newest first) unless the
list says otherwise, such as `(vote_count, id)` for the most voted first.

- The newer/older links (`rel="prev"`/`rel="next"`) carry a keyset cursor, the sort key
  of the item at the page's edge: `?after=<cursor>` is the page of items after it,
  `?before=<cursor>` the page before it. A step is one range scan of the list's index
  wherever it starts.
- `?page=N` pages are numbered, for bookmarks, up to MAX_PAGE. They skip rows with OFFSET,
  reading only ids from the list's index for the skipped rows, then the page's own rows.
- One row more than a page is fetched to know whether another page exists; nothing counts
  the whole table.
"""

import operator
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
CURSOR_PART = re.compile(r"[0-9]{1,17}")
PAGE_NUMBER = re.compile(r"[0-9]{1,9}")
# The largest id or count a cursor may name (the databases' 32-bit integer columns).
MAX_INTEGER = 2**31 - 1


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


def encode_cursor(item, keys: tuple = ()) -> str:
    """The cursor of a row: the values of its sort key `keys` (columns; default created_at
    and id), times as microseconds since 1970."""
    names = [column.key for column in keys] or ["created_at", "id"]
    values = (getattr(item, name) for name in names)
    return "-".join(
        str((value - EPOCH) // timedelta(microseconds=1) if isinstance(value, datetime) else value)
        for value in values
    )


def cursor(keys: tuple, value: str) -> list:
    """The sort key a cursor names, as SQL values typed like the key's columns; anything
    malformed is a 404."""
    parts = value.split("-")
    if len(parts) != len(keys) or not all(CURSOR_PART.fullmatch(part) for part in parts):
        abort(404)
    values = []
    for column, part in zip(keys, parts, strict=True):
        number = int(part)
        if column.type.python_type is datetime:
            try:
                values.append(sa.literal(EPOCH + timedelta(microseconds=number), column.type))
            except OverflowError:
                abort(404)
        elif number > MAX_INTEGER:
            abort(404)
        else:
            values.append(sa.literal(number))
    return values


def rows_of(query: sa.Select) -> list[sa.Row]:
    return db.session.execute(query).all()


def beyond(query: sa.Select, keys: tuple, values: list, limit: int, forward: bool) -> list:
    """The first `limit` rows of `query` past the sort key `values`: further along the
    list's (descending) order when `forward`, else back against it, nearest first.

    Two index ranges, the rows tied on the key's first column and those past it, rather
    than one row-value comparison: for `(vote_count, id) < (0, 1000)` SQLite seeks on the
    first column alone and reads every item with no votes, most of the table, before it
    finds the page.
    """
    first, tiebreak = keys
    past = operator.lt if forward else operator.gt
    ordered = query.order_by(None).order_by(
        *(column.desc() if forward else column.asc() for column in keys)
    )
    tied = ordered.where(first == values[0], past(tiebreak, values[1])).limit(limit)
    further = ordered.where(past(first, values[0])).limit(limit)
    both = sa.union_all(sa.select(tied.subquery()), sa.select(further.subquery())).subquery()
    order = (both.c[column.key] for column in keys)
    return rows_of(
        sa.select(both)
        .order_by(*(column.desc() if forward else column.asc() for column in order))
        .limit(limit)
    )


def paginate(query: sa.Select, model, per_page: int, keys: tuple = ()) -> Page:
    """The page of `query` the request asks for: `?after=`, `?before=` or `?page=`.

    `query` selects columns of `model` (its id among them, and the sort key's columns),
    ordered by the sort key `keys` descending (default: created_at, id), as an index of the
    table orders them. The key's last column is the model's id, so it names one row.
    """
    keys = keys or (model.created_at, model.id)
    after, before = request.args.get("after"), request.args.get("before")
    if after is not None and before is not None:
        abort(404)

    if after is not None:
        found = beyond(query, keys, cursor(keys, after), per_page + 1, forward=True)
        if not found:
            abort(404)
        items = found[:per_page]
        newer = {"before": encode_cursor(items[0], keys)}
        return Page(items, None, next_page(items, len(found) > per_page, keys), newer)

    if before is not None:
        found = beyond(query, keys, cursor(keys, before), per_page + 1, forward=False)
        if len(found) > per_page:
            items = found[:per_page][::-1]
            newer = {"before": encode_cursor(items[0], keys)}
            return Page(items, None, next_page(items, True, keys), newer)
        # Nothing beyond these: this is the top of the list, so show the first page (a
        # full one), not a short page of whatever happened to come before the cursor.

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
    # The next link is a cursor, so stepping on from a deep page stays cheap.
    return replace(page, next_args=next_page(page.items, len(rows) > per_page, keys))


def next_page(items: list, more: bool, keys: tuple) -> dict | None:
    """The link arguments of the page after `items`, if there is one."""
    return {"after": encode_cursor(items[-1], keys)} if more else None
