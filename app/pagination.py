"""Pages of newest-first lists, without COUNT(*) and at the same cost at any depth.

- `?page=N` pages are numbered (bookmarkable); the first visit skips rows with OFFSET,
  which costs a scan of the skipped rows' index entries (only ids are read there, then the
  page's rows). Later visits start from where the page began, while the data is unchanged.
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

from app.extensions import db
from app.models import read_rows, records

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
    if not merged:
        return path
    return path + "?" + "&".join([query_pair(name, value) for name, value in merged.items()])


@lru_cache(maxsize=1024, typed=True)
def query_pair(name: str, value: str | int) -> str:
    """`name=value`, URL-encoded. A numbered page links five neighbours, mostly the same
    pairs request after request, and encoding one cost more than the rest of its link."""
    return urlencode({name: value}, safe=URL_SAFE)


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


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: it keys caches
class ListStatements:
    """The statements that page through one list, with bind parameters for what varies."""

    first: sa.Select  # the newest rows
    numbered: sa.Select  # the rows after the newest :offset (and the data version)
    anchored: sa.Select | None  # the rows from (:created_at, :id) on (and the data version)
    older: sa.Select  # rows older than (:created_at, :id), newest first
    newer: sa.Select  # rows newer than (:created_at, :id), oldest first


def data_version(dialect: str) -> sa.ColumnElement | None:
    """A value that changes whenever the data a connection reads may have changed (and at
    times when it has not), cheap enough to read with every page; None where the database
    offers none.

    PostgreSQL: two statements that see the same snapshot see the same rows. SQLite:
    `data_version` changes whenever another connection commits, `total_changes()` counts
    this connection's own writes (both are per connection, so are the anchors kept here).
    """
    if dialect == "postgresql":
        return sa.cast(sa.func.pg_current_snapshot(), sa.Text).label("data_version")
    if dialect == "sqlite":
        version = "(SELECT data_version FROM pragma_data_version) || ':' || total_changes()"
        return sa.literal_column(version, sa.Text).label("data_version")
    return None


def read_at(version: str, rows: list[tuple]) -> bool:
    """Whether `rows` (from a statement reading the data version) were read at `version`:
    then what was remembered at that version still holds."""
    return bool(rows) and rows[0].data_version == version


@lru_cache(maxsize=64)  # bounded, should a caller build its query per request after all
def list_statements(query: sa.Select, model, limit: int, dialect: str) -> ListStatements:
    """Every statement `paginate` runs for `query`, fetching `limit` rows, built once per
    process and database.

    The lists' queries are built once too, so each request executes the very same statement
    objects: SQLAlchemy then skips building, hashing and matching them to their compiled
    SQL, which cost as much as running the query. The limit is written into the SQL, not
    bound: PostgreSQL plans a statement with an unknown LIMIT as if it read a tenth of the
    table, so it would plan every execution afresh instead of reusing one plan.
    """
    rows = sa.literal_column(str(int(limit)))
    key = sa.tuple_(model.created_at, model.id)
    cursor = sa.tuple_(sa.bindparam("created_at", type_=model.created_at.type), sa.bindparam("id"))
    # Numbered pages walk the skipped rows in the list's index alone, reading only ids, then
    # read whole rows for the page itself: skipping 10,000 whole rows cost three times more.
    ids = query.with_only_columns(model.id).limit(rows).offset(sa.bindparam("offset")).subquery()
    numbered = query.join(ids, model.id == ids.c.id)
    anchored = query.where(key <= cursor).limit(rows)
    if (version := data_version(dialect)) is not None:
        numbered, anchored = numbered.add_columns(version), anchored.add_columns(version)
    oldest_first = query.order_by(None).order_by(model.created_at, model.id)
    return ListStatements(
        first=query.limit(rows),
        numbered=numbered,
        anchored=anchored if version is not None else None,
        older=query.where(key < cursor).limit(rows),
        newer=oldest_first.where(key > cursor).limit(rows),
    )


# What a connection remembers of one kind (anchors, rankings): at most this many entries.
MAX_REMEMBERED = 1000


def remembered(connection: sa.Connection, kind: str) -> dict:
    """A dict of `kind` kept with the pooled connection, emptied when it grows too large."""
    memory = connection.info.setdefault(kind, {})
    if len(memory) >= MAX_REMEMBERED:
        memory.clear()
    return memory


def skip_to(statements: ListStatements, offset: int, params: dict) -> list[tuple]:
    """The rows after the newest `offset`, at the cost of a keyset step when it can be.

    OFFSET walks every skipped row's index entry: page 500 of a million rows read 10,000
    entries each time. So each connection remembers where the numbered pages it served
    begin (an anchor: the first row's created_at and id) together with the data version
    it read them at; while the version is unchanged, nothing was added, hidden or removed,
    and the page still begins at its anchor. Any write changes the version, and the next
    visit walks the OFFSET again.
    """
    skip = params | {"offset": offset}
    if statements.anchored is None:
        return read_rows(statements.numbered, skip)
    with db.engine.connect() as connection:
        anchors = remembered(connection, "page_anchors")
        key = (statements, offset, *sorted(params.items()))
        if (anchor := anchors.get(key)) is not None:
            version, created_at, id = anchor
            from_anchor = params | {"created_at": created_at, "id": id}
            rows = records(connection.execute(statements.anchored, from_anchor))
            if read_at(version, rows):
                return rows
        rows = records(connection.execute(statements.numbered, skip))
    if rows:
        anchors[key] = (rows[0].data_version, rows[0].created_at, rows[0].id)
    return rows


def paginate(query: sa.Select, model, per_page: int, **params) -> Page:
    """A page of `query`, which selects columns of `model` (its id and created_at among
    them) newest first by (created_at, id). Build `query` once (it keys a cache) with bind
    parameters for what varies between requests, and pass their values as `params`."""
    statements = list_statements(query, model, per_page + 1, db.engine.dialect.name)

    def rows(statement: sa.Select, **values) -> list:
        return read_rows(statement, params | values)

    after, before = request.args.get("after"), request.args.get("before")
    if after is None and before is None:

        def fetch(limit: int, offset: int) -> list:
            if not offset:
                return rows(statements.first)
            return skip_to(statements, offset, params)

        page = numbered_page(fetch, per_page)
        # Older steps from a numbered page use a cursor too, so they stay cheap at any depth.
        return Page(page.items, page.number, older(page.items, page.has_next), page.prev_args)
    if after is not None and before is not None:
        abort(404)

    if after is not None:
        created_at, id = decode_cursor(after)
        found = rows(statements.older, created_at=created_at, id=id)
        if not found:
            abort(404)
        items = found[:per_page]
        newer = {"before": encode_cursor(items[0])}
        return Page(items, None, older(items, len(found) > per_page), newer)

    created_at, id = decode_cursor(before)
    found = rows(statements.newer, created_at=created_at, id=id)
    if len(found) <= per_page:
        # Nothing newer beyond these: this is the top of the list, so show the first page
        # (a full one), not a short page of whatever happened to be newer than the cursor.
        found = rows(statements.first)
        return Page(found[:per_page], 1, older(found[:per_page], len(found) > per_page))
    items = found[:per_page][::-1]
    return Page(items, None, older(items, True), {"before": encode_cursor(items[0])})


def older(items: list, more: bool) -> dict | None:
    """The link arguments of the page older than `items`, if there is one."""
    return {"after": encode_cursor(items[-1])} if more else None
