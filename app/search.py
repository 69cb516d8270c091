"""Full-text search over feedback and notes: one interface, a backend per database.

The structures searched are created by migrations: FTS5 tables on SQLite, a stored
`search_vector` with a GIN index on PostgreSQL, FULLTEXT indexes on MariaDB/MySQL. Whatever
people type is reduced to plain words first, so no input can be read as search syntax.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

import sqlalchemy as sa
from markupsafe import Markup
from sqlalchemy.dialects import mysql

from app.extensions import db
from app.models import Feedback, Note
from app.pagination import Page, numbered_page, requested_page

MAX_QUERY_LENGTH = 200
MAX_TERMS = 12
SNIPPET_LENGTH = 200
# Search ranks the newest matches, at most this many: a word found in half a million rows
# must not make every search read half a million rows.
MAX_CANDIDATES = 200
# Ranking and snippets read this much of each candidate's text (notes may be long).
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
        scored_body = sa.func.substr(body, 1, SCORED_LENGTH).label("body")
        return self.model.id, title.label("title"), scored_body


SEARCHABLE = {
    Feedback: Searchable(Feedback, ("name", "message")),
    Note: Searchable(Note, ("title", "content")),
}


def search(
    model: type, query: str, per_page: int, conditions: tuple = (), keys: tuple = ()
) -> Page:
    """Page `?page=` of the visible `model` items holding every word of `query` (and
    meeting `conditions`), best first, or in the order of the sort key `keys` (descending).

    The database's full-text engine finds the newest MAX_CANDIDATES matches and `rank`
    orders them, the same way on every database, so a search costs about the same however
    common its words are and however large the table. Then the page's items are read, the
    visibility rule applied again: an item hidden, made private or deleted since the first
    statement is left out, never shown as it is now.
    """
    number = requested_page()
    terms = search_terms(query)
    if not terms:
        return numbered_page(number, [], per_page)
    backend = BACKENDS[db.engine.dialect.name]
    statement = backend.candidates(SEARCHABLE[model]).where(*conditions).limit(MAX_CANDIDATES)
    if keys:
        statement = statement.add_columns(*keys)
    candidates = db.session.execute(statement, {"match": backend.match(terms)}).all()
    if keys:  # each row is (id, title, body, *keys)
        ranked = [row.id for row in sorted(candidates, key=lambda row: row[3:], reverse=True)]
    else:
        ranked = rank(candidates, terms)
    start = (number - 1) * per_page
    ids = ranked[start : start + per_page + 1]
    page_rows = model.public().where(model.id.in_(ids), *conditions) if ids else None
    rows = db.session.execute(page_rows).all() if ids else []
    by_id = {row.id: row for row in rows}
    page = numbered_page(number, [by_id[id] for id in ids if id in by_id], per_page)
    words, bodies = word_pattern(terms), {row.id: row.body for row in candidates}
    snippets = {item.id: snippet(bodies[item.id], words) for item in page.items}
    capped = len(candidates) == MAX_CANDIDATES
    return replace(page, total=len(ranked), capped=capped, snippets=snippets)


def search_terms(query: str) -> list[str]:
    """The words of a query, lower-cased: no quotes, operators or wildcards survive."""
    words = re.findall(r"\w+", query[:MAX_QUERY_LENGTH].lower())
    return list(dict.fromkeys(words))[:MAX_TERMS]


@dataclass(frozen=True)
class Backend:
    """A database's full-text engine: the newest visible matches of a `:match` parameter,
    and that parameter's value for a list of plain words."""

    candidates: Callable[[Searchable], sa.Select]
    match: Callable[[list[str]], str]


def word_pattern(terms: list[str]) -> re.Pattern:
    """Words starting with any of `terms` (so "zebra" also finds "zebras")."""
    return re.compile(r"\b(?:" + "|".join(re.escape(term) for term in terms) + r")\w*", re.I)


def rank(candidates: list[sa.Row], terms: list[str]) -> list[int]:
    """Ids of (id, title, body) rows, most relevant first, newest first among equals.

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
    for (id, title, body), length in zip(candidates, lengths, strict=True):
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
