"""Pages of newest-first lists, without COUNT(*) and at the same cost at any depth.

- `?page=N` pages are numbered (bookmarkable); they skip rows with OFFSET, which costs a
  scan of the skipped rows' index entries (only ids are read there, then the page's rows).
- The newer/older links (`rel="prev"`/`rel="next"`) carry a keyset cursor instead:
  `?after=<cursor>` is the page of items older than the cursor item, `?before=<cursor>` the
  page newer than it. A step is one index range scan wherever it starts.
- One row more than a page is fetched to know whether another page exists; nothing counts
  the whole table.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import sqlalchemy as sa
from flask import abort, request

from app.models import read_rows

# Beyond this a page number is treated as nonsense (and the OFFSET stays far from overflow).
MAX_PAGE = 1_000_000
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
CURSOR = re.compile(r"(\d{1,17})-(\d{1,10})")
URL_SAFE = "!$'()*,/:;?@"  # what werkzeug leaves unquoted in query strings


@dataclass(frozen=True)
class Page:
    items: list[Any]
    number: int | None  # None on a cursor page: its position is not known without counting
    next_args: dict | None = None  # query arguments of the older page, if there is one
    prev_args: dict | None = None  # query arguments of the newer page, if there is one

    @property
    def has_next(self) -> bool:
        return self.next_args is not None

    @property
    def has_prev(self) -> bool:
        return self.prev_args is not None

    @property
    def nearby(self) -> range:
        """Page numbers to link around the current one (none on a cursor page)."""
        if self.number is None:
            return range(0)
        last = self.number + 1 if self.has_next else self.number
        return range(max(1, self.number - 2), last + 1)


def with_query(path: str, *arguments: dict) -> str:
    """`path` with the query arguments merged from `arguments`, encoded as url_for would."""
    merged = {name: value for each in arguments for name, value in each.items()}
    return f"{path}?{urlencode(merged, safe=URL_SAFE)}" if merged else path


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


def requested_page() -> int:
    """The `?page=` number: a positive whole number, or the request is a 404."""
    raw = request.args.get("page", "1")
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= MAX_PAGE:
        abort(404)
    return int(raw)


def numbered_page(fetch: Callable[[int, int], list], per_page: int) -> Page:
    """Page `?page=N` of what `fetch(limit, offset)` returns; a page past the end is a 404."""
    number = requested_page()
    rows = fetch(per_page + 1, (number - 1) * per_page)
    if number > 1 and not rows:
        abort(404)
    prev_args = None if number == 1 else ({} if number == 2 else {"page": number - 1})
    next_args = {"page": number + 1} if len(rows) > per_page else None
    return Page(rows[:per_page], number, next_args, prev_args)


def paginate(query: sa.Select, model, per_page: int) -> Page:
    """A page of `query`, which selects columns of `model` (its id and created_at among
    them) newest first by (created_at, id)."""
    after, before = request.args.get("after"), request.args.get("before")
    if after is None and before is None:
        page = numbered_page(
            lambda limit, offset: numbered_rows(query, model, limit, offset), per_page
        )
        # Older steps from a numbered page use a cursor too, so they stay cheap at any depth.
        older = {"after": encode_cursor(page.items[-1])} if page.has_next else None
        return Page(page.items, page.number, older, page.prev_args)
    if after is not None and before is not None:
        abort(404)

    key = sa.tuple_(model.created_at, model.id)
    if after is not None:
        older = query.where(key < sa.tuple_(*decode_cursor(after)))
        rows = read_rows(older.limit(per_page + 1))
        items, more = rows[:per_page], len(rows) > per_page
        if not items:
            abort(404)
        return Page(
            items,
            None,
            {"after": encode_cursor(items[-1])} if more else None,
            {"before": encode_cursor(items[0])},
        )

    oldest_first = query.order_by(None).order_by(model.created_at, model.id)
    newer = oldest_first.where(key > sa.tuple_(*decode_cursor(before)))
    rows = read_rows(newer.limit(per_page + 1))
    if len(rows) <= per_page:
        # Nothing newer beyond these: this is the top of the list, so show the first page
        # (a full one), not a short page of whatever happened to be newer than the cursor.
        return first_page(query, per_page)
    items = rows[:per_page][::-1]
    return Page(
        items, None, {"after": encode_cursor(items[-1])}, {"before": encode_cursor(items[0])}
    )


def numbered_rows(query: sa.Select, model, limit: int, offset: int) -> list:
    """`limit` rows of `query` after the first `offset`.

    The skipped rows are walked in the list's index alone, selecting only their ids; whole
    rows are read for the page itself. Skipping 10,000 whole rows cost three times as much.
    """
    if not offset:
        return read_rows(query.limit(limit))
    ids = query.with_only_columns(model.id).limit(limit).offset(offset).subquery()
    return read_rows(query.join(ids, model.id == ids.c.id))


def first_page(query: sa.Select, per_page: int) -> Page:
    rows = read_rows(query.limit(per_page + 1))
    items = rows[:per_page]
    return Page(items, 1, {"after": encode_cursor(items[-1])} if len(rows) > per_page else None)
