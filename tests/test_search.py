"""Full-text search: relevant results first, highlighted, safe for any input, and never
showing what the searcher may not see."""

import re

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Feedback, Note
from tests.factories import make_feedback, make_note, make_user


@pytest.fixture
def board(app):
    with app.app_context():
        make_feedback(name="Quiet", message="Nothing to see here at all.")
        make_feedback(name="Zoe", message="One zebra walked past the window this morning.")
        make_feedback(
            name="Zebra fan",
            message="Zebra stripes, zebra foals, zebra herds: zebras are the best.",
        )
        make_feedback(name="Hidden", message="A secret zebra the moderators hid.", hidden=True)
        make_feedback(name="Other", message="Horses and donkeys only.")
        alice = make_user(username="alice")
        make_note(alice, title="Public zebra notes", content="Zebras in **Kenya**.")
        make_note(alice, title="Private zebra diary", content="zebra secrets", visibility="private")
        make_note(alice, title="Hidden zebra", content="zebra", hidden=True)
        make_note(alice, title="Giraffes", content="Tall animals.")


def results(page: str) -> list[str]:
    return re.findall(r'<strong class="author">([^<]+)</strong>', page)


def note_titles(page: str) -> list[str]:
    return re.findall(r'<h2><a href="/notes/\d+">([^<]+)</a></h2>', page)


def test_search_finds_matches_best_first(client, board):
    page = client.get("/feedback/?q=zebra").text
    assert results(page) == ["Zebra fan", "Zoe"]
    assert "Feedback matching “zebra”" in page


def test_matches_are_highlighted_and_escaped(app, client):
    with app.app_context():
        make_feedback(name="Html", message="<b>zebra</b> & <script>alert(1)</script> zebra")
    page = client.get("/feedback/?q=zebra").text
    assert "<mark>zebra</mark>" in page
    assert "<script>alert(1)" not in page
    assert "&lt;b&gt;<mark>zebra</mark>&lt;/b&gt;" in page


def test_every_word_must_match_as_a_whole_word(client, board):
    assert results(client.get("/feedback/?q=zebra+window").text) == ["Zoe"]
    assert results(client.get("/feedback/?q=Walked+WINDOW").text) == ["Zoe"]
    assert results(client.get("/feedback/?q=walked+wind").text) == []
    assert results(client.get("/feedback/?q=zebra+giraffe").text) == []


def test_hidden_feedback_is_found_only_by_admins_never(client, auth, admin, board):
    assert "Hidden" not in results(client.get("/feedback/?q=secret").text)


def test_notes_search_finds_public_notes_only(client, auth, board):
    assert note_titles(client.get("/notes/?q=zebra").text) == ["Public zebra notes"]
    auth.login("alice")  # not even the owner finds private notes in the public search
    assert note_titles(client.get("/notes/?q=zebra").text) == ["Public zebra notes"]


def test_no_match_says_so_and_offers_the_full_list(client, board):
    page = client.get("/feedback/?q=okapi").text
    assert "No feedback matches “okapi”" in page
    assert results(page) == []


def test_header_search_box_hands_over_to_the_list(client, board):
    response = client.get("/search?q=zebra&in=notes")
    assert response.status_code == 302
    assert response.headers["Location"] == "/notes/?q=zebra"
    assert client.get("/search?q=+").headers["Location"] == "/feedback/"


HOSTILE = [
    '"',
    '""zebra"',
    "zebra*",
    "*",
    "-zebra",
    "zebra -",
    "zebra OR 1=1",
    "NEAR(zebra window)",
    "zebra NEAR/2 window",
    "(zebra",
    "zebra))",
    "name:zebra",
    "^zebra",
    "zebra & !window | :*",
    "'; DROP TABLE feedback; --",
    "%_%",
    "\\",
    "ζέβρα 斑马 زرافة 🦓",
    "e\u0301",
    "a",
    "the",
    "the zebra",
    "zebra " * 300,
    "x" * 5000,
    "AND",
    "+zebra -window",
    "@2",
    "~zebra",
    "<zebra>",
    "zebra\x00",
]


@pytest.mark.parametrize("query", HOSTILE)
def test_any_query_is_safe(client, board, query):
    for path in ("/feedback/", "/notes/"):
        response = client.get(path, query_string={"q": query})
        assert response.status_code == 200, (path, query)
        assert "Traceback" not in response.text


def test_stop_words_do_not_hide_results(client, board):
    assert "Zoe" in results(client.get("/feedback/?q=the+zebra").text)


def test_search_pages_are_numbered_and_keep_the_query(app, client):
    with app.app_context():
        for n in range(25):
            make_feedback(name=f"Fan {n}", message=f"okapi number {n}")
    first = client.get("/feedback/?q=okapi").text
    assert len(results(first)) == 20
    assert 'rel="next" href="/feedback/?page=2&amp;q=okapi"' in first
    assert "Results 1–20 of 25, best first." in " ".join(first.split())
    assert ">More results →</a>" in first and "Older" not in first
    second = client.get("/feedback/?page=2&q=okapi").text
    assert len(results(second)) == 5
    assert "Results 21–25 of 25" in " ".join(second.split())
    assert ">← Previous results</a>" in second
    assert client.get("/feedback/?page=3&q=okapi").status_code == 404


def test_search_says_it_ranks_only_the_newest_200_matches(app, client):
    with app.app_context():
        db.session.add_all(Feedback(name=f"Fan {n}", message="okapi") for n in range(230))
        db.session.commit()
    page = " ".join(client.get("/feedback/?q=okapi").text.split())
    assert "Results 1–20 of the 200 newest matches, best first." in page
    assert "Add words to narrow the search." in page
    last = client.get("/feedback/?page=10&q=okapi")
    assert len(results(last.text)) == 20 and 'rel="next"' not in last.text


def test_page_links_keep_an_unusual_query_intact(app, client):
    with app.app_context():
        for n in range(25):
            make_feedback(name=f"Fan {n}", message=f"Crème brûlée & okapi, number {n}")
    first = client.get("/feedback/", query_string={"q": "brûlée & okapi?"}).text
    older = re.search(r'rel="next" href="([^"]+)"', first).group(1).replace("&amp;", "&")
    assert older == "/feedback/?page=2&q=br%C3%BBl%C3%A9e+%26+okapi?"
    second = client.get(older).text
    assert len(results(second)) == 5
    assert "Feedback matching “brûlée &amp; okapi?”" in second


def test_search_runs_a_constant_number_of_queries(app, client, sql_statements, board):
    sql_statements.clear()
    client.get("/feedback/?q=zebra")
    client.get("/notes/?q=zebra")
    # Each: the newest matches to rank, then the page's items (notes with their authors,
    # feedback with their tags); feedback reads the board's tags for its filter menu first.
    assert len(sql_statements) == 5


def test_a_search_made_again_sees_new_and_hidden_items(app, client, board):
    def found() -> set[str]:
        return set(results(client.get("/feedback/?q=zebra").text))

    assert found() == {"Zebra fan", "Zoe"}
    client.post("/feedback/new", data={"name": "Newcomer", "message": "zebra zebra zebra"})
    assert found() == {"Newcomer", "Zebra fan", "Zoe"}
    with app.app_context():
        zoe = db.session.scalar(sa.select(Feedback).where(Feedback.name == "Zoe"))
        zoe.hidden = True
        db.session.commit()
    assert found() == {"Newcomer", "Zebra fan"}


def between_search_statements(app, change):
    """Run `change(connection)` on another connection, committed, right after the search's
    first statement (the candidates) and before its second (the page's items)."""
    engine = db_engine(app)
    other = sa.create_engine(engine.url)
    done = []

    def after(conn, cursor, statement, *args):
        if not done and ("MATCH" in statement.upper() or "@@" in statement):
            done.append(statement)
            with other.begin() as connection:
                change(connection)

    sa.event.listen(engine, "after_cursor_execute", after)
    return lambda: (sa.event.remove(engine, "after_cursor_execute", after), other.dispose())


def db_engine(app):
    with app.app_context():
        return db.engine


@pytest.mark.parametrize("kind", ["hidden", "deleted"])
def test_feedback_changed_during_a_search_never_shows_as_it_is_now(app, client, board, kind):
    def change(connection):
        zoe = Feedback.__table__.c
        where = Feedback.__table__.c.name == "Zoe"
        if kind == "deleted":
            connection.execute(sa.delete(Feedback.__table__).where(where))
        else:
            new = {zoe.message: "zebra: moderated text nobody may read", zoe.hidden: True}
            connection.execute(sa.update(Feedback.__table__).where(where).values(new))

    stop = between_search_statements(app, change)
    try:
        response = client.get("/feedback/?q=zebra")
    finally:
        stop()
    assert response.status_code == 200
    assert "Zebra fan" in response.text
    assert "moderated text nobody may read" not in response.text


def test_a_note_made_private_during_a_search_never_shows_its_private_text(app, client, board):
    def change(connection):
        notes = Note.__table__.c
        connection.execute(
            sa.update(Note.__table__)
            .where(notes.title == "Public zebra notes")
            .values({notes.visibility: "private", notes.content: "zebra: my private words"})
        )

    stop = between_search_statements(app, change)
    try:
        response = client.get("/notes/?q=zebra")
    finally:
        stop()
    assert response.status_code == 200
    assert "my private words" not in response.text
