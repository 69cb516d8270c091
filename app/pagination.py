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
from functools import lru_cache
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


@dataclass(frozen=True)
class ListStatements:
    """The statements that page through one list, with bind parameters for what varies."""

    first: sa.Select  # the newest :limit rows
    numbered: sa.Select  # :limit rows after the newest :offset
    older: sa.Select  # :limit rows older than (:created_at, :id), newest first
    newer: sa.Select  # :limit rows newer than (:created_at, :id), oldest first


@lru_cache(maxsize=64)  # bounded, should a caller build its query per request after all
def list_statements(query: sa.Select, model) -> ListStatements:
    """Every statement `paginate` runs for `query`, built once per process.

    The lists' queries are built once too, so each request executes the very same statement
    objects: SQLAlchemy then skips building, hashing and matching them to their compiled
    SQL, which cost as much as running the query.
    """
    limit, offset = sa.bindparam("limit"), sa.bindparam("offset")
    key = sa.tuple_(model.created_at, model.id)
    cursor = sa.tuple_(sa.bindparam("created_at", type_=model.created_at.type), sa.bindparam("id"))
    # Numbered pages walk the skipped rows in the list's index alone, reading only ids, then
    # read whole rows for the page itself: skipping 10,000 whole rows cost three times more.
    ids = query.with_only_columns(model.id).limit(limit).offset(offset).subquery()
    oldest_first = query.order_by(None).order_by(model.created_at, model.id)
    return ListStatements(
        first=query.limit(limit),
        numbered=query.join(ids, model.id == ids.c.id),
        older=query.where(key < cursor).limit(limit),
        newer=oldest_first.where(key > cursor).limit(limit),
    )


def paginate(query: sa.Select, model, per_page: int, **params) -> Page:
    """A page of `query`, which selects columns of `model` (its id and created_at among
    them) newest first by (created_at, id). Build `query` once (it keys a cache) with bind
    parameters for what varies between requests, and pass their values as `params`."""
    statements = list_statements(query, model)

    def rows(statement: sa.Select, **values) -> list:
        return read_rows(statement, params | values)

    after, before = request.args.get("after"), request.args.get("before")
    if after is None and before is None:

        def fetch(limit: int, offset: int) -> list:
            if not offset:
                return rows(statements.first, limit=limit)
            return rows(statements.numbered, limit=limit, offset=offset)

        page = numbered_page(fetch, per_page)
        # Older steps from a numbered page use a cursor too, so they stay cheap at any depth.
        return Page(page.items, page.number, older(page.items, page.has_next), page.prev_args)
    if after is not None and before is not None:
        abort(404)

    limit = per_page + 1
    if after is not None:
        created_at, id = decode_cursor(after)
        found = rows(statements.older, limit=limit, created_at=created_at, id=id)
        if not found:
            abort(404)
        items = found[:per_page]
        newer = {"before": encode_cursor(items[0])}
        return Page(items, None, older(items, len(found) > per_page), newer)

    created_at, id = decode_cursor(before)
    found = rows(statements.newer, limit=limit, created_at=created_at, id=id)
    if len(found) <= per_page:
        # Nothing newer beyond these: this is the top of the list, so show the first page
        # (a full one), not a short page of whatever happened to be newer than the cursor.
        found = rows(statements.first, limit=limit)
        return Page(found[:per_page], 1, older(found[:per_page], len(found) > per_page))
    items = found[:per_page][::-1]
    return Page(items, None, older(items, True), {"before": encode_cursor(items[0])})


def older(items: list, more: bool) -> dict | None:
    """The link arguments of the page older than `items`, if there is one."""
    return {"after": encode_cursor(items[-1])} if more else None
