"""Full-text search over feedback and notes: one interface, a backend per database.

The structures searched are created by migrations: FTS5 tables on SQLite, a stored
`search_vector` with a GIN index on PostgreSQL, FULLTEXT indexes on MariaDB/MySQL. Whatever
people type is reduced to plain words first, so no input can be read as search syntax.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any, NamedTuple

import sqlalchemy as sa
from flask import request
from markupsafe import Markup
from sqlalchemy.dialects import mysql

from app.extensions import db
from app.models import Feedback, Note, records
from app.pagination import Page, data_version, numbered_page, paginate, read_at, remembered

MAX_QUERY_LENGTH = 200
MAX_TERMS = 12
SNIPPET_LENGTH = 200
# Search ranks the newest matches, at most this many: a word found in half a million rows
# must not make every search read half a million rows.
MAX_CANDIDATES = 200
# Ranking reads this much of each candidate's text (notes may be long).
SCORED_LENGTH = 2000


@dataclass(frozen=True)
class Searchable:
    model: type
    columns: tuple[str, str]  # title-like, then body, as the migrations indexed them

    @property
    def table(self) -> str:
        return self.model.__tablename__

    def scored_columns(self) -> tuple:
        title, body = (getattr(self.model, name) for name in self.columns)
        return self.model.id, title, sa.func.substr(body, 1, SCORED_LENGTH)


SEARCHABLE = {
    Feedback: Searchable(Feedback, ("name", "message")),
    Note: Searchable(Note, ("title", "content")),
}


class Hit(NamedTuple):
    """A search result: the item and its highlighted excerpt (a card of the list)."""

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
    """The visible `model` items holding every word of `query`, best first.

    The database's full-text engine finds the newest MAX_CANDIDATES matches; `rank` orders
    them, the same way on every database. A search therefore costs about the same however
    common its words are and however large the table. A connection keeps the rankings it
    made with the data version they were made at (see `data_version`), so the same search
    on unchanged data, or its next page, reads only the page's items.
    """
    terms = search_terms(query)
    if not terms:
        return []
    backend, statements = search_statements(model, db.engine.dialect.name)
    with db.engine.connect() as connection:
        rankings = remembered(connection, "search_rankings")
        key = (model, *terms)
        if (known := rankings.get(key)) is not None:
            version, ranked = known
            ids = ranked[offset : offset + limit]
            items = records(connection.execute(statements.items, {"ids": ids})) if ids else []
            if read_at(version, items):
                return hits(model, terms, ids, items)
        match = {"match": backend.match(terms)}
        candidates = connection.execute(statements.candidates, match).all()
        ranked = rank(candidates, terms)
        if candidates and statements.versioned:
            rankings[key] = (candidates[0].data_version, ranked)
        ids = ranked[offset : offset + limit]
        if not ids:
            return []
        return hits(model, terms, ids, records(connection.execute(statements.items, {"ids": ids})))


def hits(model: type, terms: list[str], ids: list[int], items: list[tuple]) -> list[Hit]:
    """The items, in the order of `ids`, with their snippets."""
    by_id = {row.id: row for row in items}
    body, words = SEARCHABLE[model].columns[1], word_pattern(terms)
    return [Hit(by_id[id], snippet(getattr(by_id[id], body), words)) for id in ids]


@dataclass(frozen=True)
class Backend:
    """A database's full-text engine: the newest visible matches of a `:match` parameter,
    and that parameter's value for a list of plain words."""

    candidates: Callable[[Searchable], sa.Select]
    match: Callable[[list[str]], str]


@dataclass(frozen=True)
class SearchStatements:
    candidates: sa.Select  # (id, title, body) of the newest matches of :match
    items: sa.Select  # the cards of the items :ids
    versioned: bool  # whether both also read the data version


@cache
def search_statements(model: type, dialect: str) -> tuple[Backend, SearchStatements]:
    """The database's engine and the statements it runs for `model`, built once per model
    and database, like the lists' statements (see pagination)."""
    backend = BACKENDS[dialect]
    candidates = backend.candidates(SEARCHABLE[model]).limit(MAX_CANDIDATES)
    items = model.cards().where(model.id.in_(sa.bindparam("ids", expanding=True)))
    if (version := data_version(dialect)) is None:
        return backend, SearchStatements(candidates, items, versioned=False)
    versioned = SearchStatements(candidates.add_columns(version), items.add_columns(version), True)
    return backend, versioned


def word_pattern(terms: list[str]) -> re.Pattern:
    """Words starting with any of `terms` (so "zebra" also finds "zebras")."""
    return re.compile(r"\b(?:" + "|".join(re.escape(term) for term in terms) + r")\w*", re.I)


def rank(candidates: list[sa.Row], terms: list[str]) -> list[int]:
    """Ids of (id, title, body, …) rows, most relevant first, newest first among equals.

    A BM25-like score: every candidate holds every word, so what counts is how often the
    words occur (with diminishing returns), in how short a text, and whether the title
    has them too. Occurrences are counted as substrings of the lower-cased text: as good a
    signal here as whole words, at a fraction of a regular expression's cost.
    """
    if not candidates:
        return []
    lengths = [row[2].count(" ") + 1 for row in candidates]
    average = sum(lengths) / len(lengths)
    scored = []
    for (id, title, body, *_), length in zip(candidates, lengths, strict=True):
        in_title = sum(map(title.lower().count, terms))
        in_body = sum(map(body.lower().count, terms))
        norm = 0.25 + 0.75 * length / average
        score = in_title / (in_title + 0.5) + in_body * 2.2 / (in_body + 1.2 * norm)
        scored.append((score, id))
    scored.sort(reverse=True)
    return [id for _, id in scored]


def sqlite_match(terms: list[str]) -> str:
    # Each word quoted as an FTS5 string: no syntax of the searcher's survives.
    return " ".join('"' + term.replace('"', '""') + '"' for term in terms)


def sqlite_candidates(spec: Searchable) -> sa.Select:
    # FTS5 walks its matches newest (highest rowid) first and stops at the limit.
    fts = sa.table(f"{spec.table}_fts", sa.column("rowid"))
    match = sa.literal_column(f"{spec.table}_fts").op("MATCH")(sa.bindparam("match"))
    return (
        sa.select(*spec.scored_columns())
        .select_from(fts)
        .join(spec.model, spec.model.id == fts.c.rowid)
        .where(match, spec.model.shown_to_everyone())
        .order_by(fts.c.rowid.desc())
    )


def postgresql_match(terms: list[str]) -> str:
    # The terms are bare words, so this tsquery has no syntax but ours: every word.
    return " & ".join(terms)


def postgresql_candidates(spec: Searchable) -> sa.Select:
    # The stored search_vector column (see the "store search vectors" migration), stemmed.
    vector = sa.literal_column(f"{spec.table}.search_vector")
    query = sa.func.to_tsquery(sa.literal_column("'english'"), sa.bindparam("match"))
    return newest(spec, vector.op("@@")(query))


# InnoDB ignores these and words shorter than innodb_ft_min_token_size; requiring one
# (`+the`) would match nothing, so such words are only optional.
INNODB_STOPWORDS = frozenset(
    "a about an are as at be by com de en for from how i in is it la of on or that the this to "
    "was what when where who will with und www".split()
)


def mysql_match(terms: list[str]) -> str:
    # Boolean mode with every indexable word required; the words are bare \w+, so they
    # carry no operators of their own.
    return " ".join(
        f"{'' if len(term) < 3 or term in INNODB_STOPWORDS else '+'}{term}" for term in terms
    )


def mysql_candidates(spec: Searchable) -> sa.Select:
    first, second = (getattr(spec.model, name) for name in spec.columns)
    match = mysql.match(first, second, against=sa.bindparam("match")).in_boolean_mode()
    return newest(spec, match > 0)


def newest(spec: Searchable, match: sa.ColumnElement) -> sa.Select:
    return (
        sa.select(*spec.scored_columns())
        .where(match, spec.model.shown_to_everyone())
        .order_by(spec.model.id.desc())
    )


BACKENDS = {
    "sqlite": Backend(sqlite_candidates, sqlite_match),
    "postgresql": Backend(postgresql_candidates, postgresql_match),
    "mysql": Backend(mysql_candidates, mysql_match),
    "mariadb": Backend(mysql_candidates, mysql_match),
}

MARK, END_MARK, ELLIPSIS = Markup("<mark>"), Markup("</mark>"), Markup("…")


def snippet(text: str, pattern: re.Pattern) -> Markup:
    """A short, escaped excerpt around the first match of `pattern` (a `word_pattern`),
    with the matched words in <mark>."""
    first = pattern.search(text)
    start = max(0, first.start() - SNIPPET_LENGTH // 3) if first else 0
    end = min(len(text), start + SNIPPET_LENGTH)
    window = text[start:end]
    pieces, position = [ELLIPSIS if start else ""], 0
    for match in pattern.finditer(window):
        pieces += (window[position : match.start()], MARK, match.group(), END_MARK)
        position = match.end()
    pieces += (window[position:], ELLIPSIS if end < len(text) else "")
    return Markup("").join(pieces)  # escapes every piece but the Markup ones
