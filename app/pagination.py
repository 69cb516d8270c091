"""Numbered pages without a COUNT(*): fetch one row more than a page to know if more exist."""

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask import abort, request

from app.extensions import db

# Beyond this a page number is treated as nonsense (and the OFFSET stays far from overflow).
MAX_PAGE = 1_000_000


@dataclass(frozen=True)
class Page:
    items: list[Any]
    number: int
    has_next: bool

    @property
    def has_prev(self) -> bool:
        return self.number > 1

    @property
    def nearby(self) -> range:
        """Page numbers to link around the current one."""
        last = self.number + 1 if self.has_next else self.number
        return range(max(1, self.number - 2), last + 1)


def requested_page() -> int:
    """The `?page=` number: a positive whole number, or the request is a 404."""
    raw = request.args.get("page", "1")
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= MAX_PAGE:
        abort(404)
    return int(raw)


def paginate(query: sa.Select, per_page: int) -> Page:
    """Run `query` for the requested page. A page past the end is a 404; page 1 may be empty."""
    number = requested_page()
    rows = db.session.scalars(query.limit(per_page + 1).offset((number - 1) * per_page)).all()
    if number > 1 and not rows:
        abort(404)
    return Page(items=rows[:per_page], number=number, has_next=len(rows) > per_page)
