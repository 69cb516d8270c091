"""Full-text search over feedback and notes: one interface, a backend per database.

The structures searched are created by the "add full-text search" migration: FTS5 tables on
SQLite, GIN indexes on PostgreSQL, FULLTEXT indexes on MariaDB/MySQL. Whatever people type
is reduced to plain words first, so no input can be read as search syntax.
"""

import re
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask import request
from markupsafe import Markup, escape
from sqlalchemy.dialects import mysql
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import Feedback, Note
from app.pagination import Page, numbered_page, paginate

MAX_QUERY_LENGTH = 200
MAX_TERMS = 12
SNIPPET_LENGTH = 200
# Relevance is ranked among the newest matches, at most this many: a word found in half a
# million rows must not make every search rank half a million rows.
MAX_CANDIDATES = 500


@dataclass(frozen=True)
class Searchable:
    model: type
    table: str
    columns: tuple[str, str]  # in the order the migration indexed them

    def visible(self) -> list:
        """Conditions for what everyone may find: the public lists' rules."""
        return [self.model.shown_to_everyone()]


SEARCHABLE = {
    Feedback: Searchable(Feedback, "feedback", ("name", "message")),
    Note: Searchable(Note, "notes", ("title", "content")),
}


@dataclass(frozen=True)
class Hit:
    item: Any
    snippet: Markup


def search_or_list(model: type, listing: sa.Select, per_page: int) -> tuple[Page, str]:
    """The page a list view shows: search results for `?q=`, else a page of `listing`.

    Returns the page and the (stripped) query, empty when there is none.
    """
    query = request.args.get("q", "").strip()
    if not query:
        return paginate(listing, model, per_page), ""
    fetch = lambda limit, offset: search(model, query, limit=limit, offset=offset)  # noqa: E731
    return numbered_page(fetch, per_page), query


def search_terms(query: str) -> list[str]:
    """The words of a query, lower-cased: no quotes, operators or wildcards survive."""
    words = re.findall(r"\w+", query[:MAX_QUERY_LENGTH].lower())
    return list(dict.fromkeys(words))[:MAX_TERMS]


def search(model: type, query: str, *, limit: int, offset: int = 0) -> list[Hit]:
    """The visible `model` items matching every word of `query`, best first.

    Each backend gives the newest visible matches' ids with a score, higher for better.

    Ranking covers the newest MAX_CANDIDATES matches, so a search costs the same however
    common its words are; with fewer matches than that, every match is ranked.
    """
    terms = search_terms(query)
    if not terms:
        return []
    spec = SEARCHABLE[model]
    backend = {
        "sqlite": sqlite_matches,
        "postgresql": postgresql_matches,
        "mysql": mysql_matches,
        "mariadb": mysql_matches,
    }[db.engine.dialect.name]
    candidates = backend(spec, terms).subquery()
    select = (
        sa.select(model)
        .join(candidates, model.id == candidates.c.id)
        .where(*spec.visible())  # again: a backend's candidates may include others' rows
        .order_by(candidates.c.score.desc(), model.id.desc())
        .limit(limit)
        .offset(offset)
    )
    if model is Note:
        select = select.options(joinedload(Note.author))
    items = db.session.scalars(select).all()
    text_column = spec.columns[1]
    return [Hit(item, snippet(getattr(item, text_column), terms)) for item in items]


def sqlite_matches(spec: Searchable, terms: list[str]) -> sa.Select:
    # Each word quoted as an FTS5 string; the last one also matches as a prefix.
    quoted = ['"' + term.replace('"', '""') + '"' for term in terms]
    quoted[-1] += "*"
    fts = sa.table(f"{spec.table}_fts", sa.column("rowid"))
    fts_name = sa.literal_column(f"{spec.table}_fts")
    match = fts_name.op("MATCH")(" ".join(quoted))
    # FTS5 walks its matches newest (highest rowid) first and stops at the limit. Scoring
    # then takes a rowid range, which FTS5 serves directly (`rowid IN (...)` it does not).
    newest = (
        sa.select(fts.c.rowid)
        .join(spec.model, spec.model.id == fts.c.rowid)
        .where(match, *spec.visible())
        .order_by(fts.c.rowid.desc())
        .limit(MAX_CANDIDATES)
        .subquery()
    )
    oldest_candidate = sa.select(sa.func.min(newest.c.rowid)).scalar_subquery()
    return sa.select(
        fts.c.rowid.label("id"),
        (-sa.func.bm25(fts_name)).label("score"),  # bm25() is lower for better matches
    ).where(match, fts.c.rowid >= oldest_candidate)


def postgresql_matches(spec: Searchable, terms: list[str]) -> sa.Select:
    # The very expression the GIN index was built on, so the index serves the match.
    first, second = (getattr(spec.model, name) for name in spec.columns)
    english = sa.literal_column("'english'")
    document = sa.func.to_tsvector(english, first.concat(sa.literal_column("' '")).concat(second))
    # Terms are bare words, so this tsquery has no syntax but ours: all words, the last
    # one also as a prefix.
    query = sa.func.to_tsquery(english, " & ".join(terms) + ":*")
    newest = newest_ids(spec, document.op("@@")(query))
    return sa.select(spec.model.id, sa.func.ts_rank_cd(document, query).label("score")).where(
        spec.model.id.in_(newest)
    )


def newest_ids(spec: Searchable, match: sa.ColumnElement) -> sa.Select:
    return (
        sa.select(spec.model.id)
        .where(match, *spec.visible())
        .order_by(spec.model.id.desc())
        .limit(MAX_CANDIDATES)
    )


# InnoDB ignores these and words shorter than innodb_ft_min_token_size; requiring one
# (`+the`) would match nothing, so such words are only optional.
INNODB_STOPWORDS = frozenset(
    "a about an are as at be by com de en for from how i in is it la of on or that the this to "
    "was what when where who will with und www".split()
)


def mysql_matches(spec: Searchable, terms: list[str]) -> sa.Select:
    # Boolean mode: every indexable word required, each also as a prefix. The words are
    # bare \w+, so they carry no operators of their own.
    first, second = (getattr(spec.model, name) for name in spec.columns)
    against = " ".join(
        f"{'' if len(term) < 3 or term in INNODB_STOPWORDS else '+'}{term}*" for term in terms
    )
    relevance = mysql.match(first, second, against=against).in_boolean_mode()
    # MariaDB cannot LIMIT inside IN (...): join the newest candidates instead.
    newest = newest_ids(spec, relevance > 0).subquery()
    score = sa.type_coerce(relevance, sa.Float).label("score")
    return sa.select(spec.model.id, score).join(newest, newest.c.id == spec.model.id)


def snippet(text: str, terms: list[str]) -> Markup:
    """A short, escaped excerpt around the first match, with the matched words in <mark>."""
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(term) for term in terms) + r")\w*", re.I)
    first = pattern.search(text)
    start = max(0, first.start() - SNIPPET_LENGTH // 3) if first else 0
    end = min(len(text), start + SNIPPET_LENGTH)
    window = text[start:end]
    pieces, position = [], 0
    for match in pattern.finditer(window):
        pieces.append(escape(window[position : match.start()]))
        pieces.append(Markup("<mark>%s</mark>") % match.group())
        position = match.end()
    pieces.append(escape(window[position:]))
    ellipsis = Markup("…")
    return Markup("").join(
        [ellipsis if start else "", *pieces, ellipsis if end < len(text) else ""]
    )
