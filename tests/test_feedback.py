"""Leaving, listing and reading feedback, as a visitor does it."""

import re
from datetime import UTC, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.feedback.listing import SORTS
from app.models import Feedback, Tag
from app.pagination import encode_cursor
from app.templating import time_tag
from tests.factories import make_feedback, make_feedback_series

VALID = {"name": "Ada", "message": "Lovely board."}


def post_feedback(client, **fields):
    return client.post("/feedback/new", data=VALID | fields)


def stored(app) -> list[Feedback]:
    with app.app_context():
        return db.session.scalars(sa.select(Feedback)).all()


def test_form_page_has_the_fields(client):
    page = client.get("/feedback/new").text
    assert 'name="name"' in page
    assert 'name="message"' in page
    assert "<label" in page


def test_post_redirects_to_the_new_item_with_a_flash(app, client):
    response = post_feedback(client, name="Grace", message="Keep it up!")
    assert response.status_code == 302
    [item] = stored(app)
    assert response.headers["Location"] == f"/feedback/{item.id}"

    detail = client.get(response.headers["Location"])
    assert detail.status_code == 200
    assert "your feedback is posted" in detail.text
    assert "Grace" in detail.text
    assert "Keep it up!" in detail.text
    assert "your feedback is posted" not in client.get("/feedback/").text  # flashed once


def test_new_feedback_appears_first_on_the_list_and_home(app, client):
    with app.app_context():
        make_feedback(message="earlier message")
    post_feedback(client, message="brand new")
    listing = client.get("/feedback/").text
    assert listing.index("brand new") < listing.index("earlier message")
    assert "brand new" in client.get("/").text


@pytest.mark.parametrize(
    ("field", "value", "stored_as"),
    [
        ("name", "A", "A"),
        ("name", "x" * 80, "x" * 80),
        ("name", "😀" * 80, "😀" * 80),  # characters, not bytes
        ("name", "  Ada Lovelace \n", "Ada Lovelace"),
        ("name", "مرحبا بالعالم", "مرحبا بالعالم"),
        ("name", "Zoë e\u0301", "Zoë e\u0301"),
        ("message", "m" * 5000, "m" * 5000),
        ("message", "🎉" * 5000, "🎉" * 5000),
        ("message", "\tline one\nline two  ", "line one\nline two"),
        ("message", "<b>bold</b> & 'quotes'", "<b>bold</b> & 'quotes'"),
    ],
)
def test_valid_input_is_stored_stripped(app, client, field, value, stored_as):
    response = post_feedback(client, **{field: value})
    assert response.status_code == 302
    [item] = stored(app)
    assert getattr(item, field) == stored_as


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("name", "", "This field is required."),
        ("name", "   \t\n ", "This field is required."),
        ("name", "\u3000\u00a0", "This field is required."),
        ("name", "x" * 81, "Field cannot be longer than 80 characters."),
        ("name", "😀" * 81, "Field cannot be longer than 80 characters."),
        ("name", "Ada\x00", "Remove the NUL character"),
        ("message", "", "This field is required."),
        ("message", "  \n\n  ", "This field is required."),
        ("message", "m" * 5001, "Field cannot be longer than 5000 characters."),
        ("message", "hi\x00there", "Remove the NUL character"),
    ],
)
def test_invalid_input_is_refused_with_the_error_beside_the_field(app, client, field, value, error):
    response = post_feedback(client, **{field: value})
    assert response.status_code == 422
    assert stored(app) == []
    page = response.text
    assert error in page
    # The error is tied to its field, and the page says something is wrong.
    assert f'id="{field}-error"' in page
    assert f'aria-describedby="{field}-error"' in page
    assert "Please fix the highlighted fields" in page


def test_a_missing_field_is_refused(app, client):
    response = client.post("/feedback/new", data={"name": "Ada"})
    assert response.status_code == 422
    assert stored(app) == []


def test_invalid_form_keeps_what_the_user_typed(client):
    response = post_feedback(client, name="", message="My long thoughts <here>")
    assert response.status_code == 422
    assert "My long thoughts &lt;here&gt;</textarea>" in response.text


def test_unknown_fields_are_ignored(app, client):
    response = post_feedback(client, id="999", created_at="1999-01-01")
    assert response.status_code == 302
    [item] = stored(app)
    assert item.id != 999
    assert item.created_at.year >= 2026


@pytest.mark.parametrize("payload", ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>'])
def test_name_and_message_are_escaped(app, client, payload):
    post_feedback(client, name=payload[:80], message=payload)
    [item] = stored(app)
    for url in ("/", "/feedback/", f"/feedback/{item.id}"):
        page = client.get(url).text
        assert payload not in page
        assert "&lt;" in page


def test_detail_shows_the_time_in_a_time_element(app, client):
    post_feedback(client)
    [item] = stored(app)
    page = client.get(f"/feedback/{item.id}").text
    match = re.search(r'<time datetime="([^"]+)" title="[^"]+">([^<]+)</time>', page)
    assert match
    assert match.group(1) == item.created_at.isoformat()
    assert match.group(1).endswith("+00:00")
    assert "UTC" in match.group(2)


EET = timezone(timedelta(hours=2))


@pytest.mark.parametrize(
    ("moment", "shown"),
    [
        (datetime(2026, 3, 5, 7, 9, tzinfo=UTC), "5 Mar 2026, 07:09 UTC"),
        (datetime(2026, 12, 31, 23, 59, 59, 999999, tzinfo=UTC), "31 Dec 2026, 23:59 UTC"),
        (
            datetime(2027, 1, 1, 1, 30, tzinfo=timezone(timedelta(hours=2))),
            "31 Dec 2026, 23:30 UTC",
        ),
    ],
)
def test_times_read_the_same_for_everyone_in_utc(moment, shown):
    assert time_tag(moment) == (
        f'<time datetime="{moment.isoformat()}" title="{shown}">{shown}</time>'
    )


@pytest.mark.parametrize(
    "path",
    [
        "/feedback/999999",
        "/feedback/0",
        "/feedback/-1",
        "/feedback/abc",
        "/feedback/99999999999999999999999",
    ],
)
def test_unknown_feedback_is_a_404_page(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "Page not found" in response.text
    assert "<main" in response.text


ARABIC_INDIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def test_ids_and_cursors_in_other_scripts_digits_are_404(app, client):
    """Python reads "١" as 1; a URL's numbers are ASCII digits only."""
    with app.app_context():
        items = make_feedback_series(25)
        id, cursor = items[0].id, encode_cursor(items[10])
    assert client.get(f"/feedback/{id}").status_code == 200
    assert client.get(f"/feedback/{str(id).translate(ARABIC_INDIC_DIGITS)}").status_code == 404
    assert client.get(f"/feedback/?before={cursor}").status_code == 200
    for query in (f"before={cursor.translate(ARABIC_INDIC_DIGITS)}", "page=٢", "page=²"):
        assert client.get(f"/feedback/?{query}").status_code == 404, query


def test_empty_list_invites_the_first_feedback(client):
    page = client.get("/feedback/").text
    assert "No feedback yet" in page
    assert 'rel="next"' not in page


def link(page: str, rel: str) -> str | None:
    match = re.search(rf'rel="{rel}" href="([^"]+)"', page)
    return match.group(1).replace("&amp;", "&") if match else None


def test_list_pages_twenty_newest_first(app, client):
    with app.app_context():
        make_feedback_series(45)

    first = client.get("/feedback/").text
    assert first.count('class="card"') == 20
    assert first.index("Item 44") < first.index("Item 25")
    assert "Item 24" not in first
    assert link(first, "prev") is None

    second = client.get(link(first, "next")).text
    assert second.count('class="card"') == 20
    assert "Item 24" in second and "Item 5" in second and "Item 25" not in second

    last = client.get(link(second, "next")).text
    assert last.count('class="card"') == 5
    assert "Item 0" in last
    assert link(last, "next") is None

    # Back up again: the newer links retrace the same pages.
    back = client.get(link(last, "prev")).text
    assert re.findall(r"Item \d+", back) == re.findall(r"Item \d+", second)
    top = client.get(link(back, "prev")).text
    assert re.findall(r"Item \d+", top) == re.findall(r"Item \d+", first)


def test_numbered_pages_still_work_for_bookmarks(app, client):
    with app.app_context():
        make_feedback_series(45)
    second = client.get("/feedback/?page=2").text
    assert re.findall(r"Item \d+", second) == [f"Item {n}" for n in range(24, 4, -1)]
    assert link(second, "prev") == "/feedback/"
    assert 'aria-current="page">2<' in second
    third = client.get(link(second, "next")).text
    assert re.findall(r"Item \d+", third) == re.findall(
        r"Item \d+", client.get("/feedback/?page=3").text
    )


def items_on(client, path: str) -> list[str]:
    return re.findall(r"Item \d+", client.get(path).text)


def test_numbered_pages_follow_new_and_hidden_feedback(app, client):
    with app.app_context():
        ids = [item.id for item in make_feedback_series(45)]
    assert items_on(client, "/feedback/?page=2")[0] == "Item 24"

    post_feedback(client, message="Item 45")
    assert items_on(client, "/feedback/?page=2")[0] == "Item 25"

    with app.app_context():
        db.session.get(Feedback, ids[44]).hidden = True
        db.session.get(Feedback, ids[43]).hidden = True
        db.session.commit()
    assert items_on(client, "/feedback/?page=2")[0] == "Item 23"


def test_numbered_pages_follow_writes_made_by_another_connection(app, client):
    """Another worker, another server or a script: their writes move pages too."""
    with app.app_context():
        make_feedback_series(45)
        url = db.engine.url
    assert items_on(client, "/feedback/?page=2")[0] == "Item 24"

    elsewhere = sa.create_engine(url)
    with elsewhere.begin() as connection:
        connection.execute(sa.delete(Feedback.__table__).where(Feedback.message == "Item 40"))
    elsewhere.dispose()
    assert items_on(client, "/feedback/?page=2")[0] == "Item 23"


def db_dialect(app) -> str:
    with app.app_context():
        return db.engine.dialect.name


@pytest.mark.parametrize(
    "query",
    [
        "after=abc",
        "after=1-",
        "after=-1-2",
        "before=999999999999999999-1",
        "after=1-99999999999",
        "after=1-1&before=1-1",
        "after=" + "9" * 40,
    ],
)
def test_malformed_cursors_are_404(app, client, query):
    with app.app_context():
        make_feedback_series(3)
    assert client.get(f"/feedback/?{query}").status_code == 404


def test_a_cursor_past_the_end_is_404(app, client):
    with app.app_context():
        oldest = make_feedback_series(3)[0]
        cursor = encode_cursor(oldest)
    assert client.get(f"/feedback/?after={cursor}").status_code == 404


@pytest.mark.parametrize("page", ["0", "-1", "abc", "1.5", "", "٣", "99999999999999999999", "4"])
def test_bad_or_missing_page_numbers_are_404(app, client, page):
    with app.app_context():
        make_feedback_series(45)
    response = client.get(f"/feedback/?page={page}")
    assert response.status_code == 404
    assert "Page not found" in response.text


def test_equal_timestamps_still_page_without_gaps_or_repeats(app, client):
    with app.app_context():
        same_time = make_feedback().created_at
        for _ in range(24):
            make_feedback(created_at=same_time)
    first = client.get("/feedback/").text
    second = client.get(link(first, "next")).text
    seen = re.findall(r'href="/feedback/(\d+)"', first + second)
    assert len(seen) == 25
    assert len(set(seen)) == 25


def test_list_page_runs_a_constant_number_of_queries(app, client, sql_statements):
    with app.app_context():
        make_feedback_series(3)
    sql_statements.clear()
    client.get("/feedback/")
    few = len(sql_statements)
    with app.app_context():
        make_feedback_series(30)
    sql_statements.clear()
    client.get("/feedback/")
    # The board's tags (for the filter menu), then the page with its items' tags.
    assert len(sql_statements) == few == 2


def test_every_kind_of_list_page_runs_at_most_three_statements(app, client, sql_statements):
    """The board's tags, then the page with its items' tags, whatever the filters; a step
    back that reaches the top reads the first page instead."""
    with app.app_context():
        items = make_feedback_series(70)
        db.session.add(Tag(name="Mobile app"))
        db.session.commit()
        cursors = {sort: encode_cursor(items[35], keys) for sort, keys in SORTS.items()}
    for sort, cursor in cursors.items():
        for query in ("", "&status=open", "&tag=mobile-app", "&status=open&tag=mobile-app"):
            for path in (f"/feedback/?sort={sort}{query}", f"/feedback/?page=3&sort={sort}{query}",
                         f"/feedback/?after={cursor}&sort={sort}{query}",
                         f"/feedback/?before={cursor}&sort={sort}{query}"):  # fmt: skip
                sql_statements.clear()
                assert client.get(path).status_code in (200, 404), path
                assert len(sql_statements) <= 3, (path, sql_statements)
                assert len(sql_statements) == 2 or "before" in path, (path, sql_statements)


def test_an_item_page_reads_what_it_shows_once(app, client, sql_statements):
    with app.app_context():
        item = make_feedback().id
    sql_statements.clear()
    assert client.get(f"/feedback/{item}").status_code == 200
    assert [re.search(r"FROM (\w+)", statement).group(1) for statement in sql_statements] == [
        "feedback",
        "comments",
        "tags",
        "feedback",  # what was merged into it
        "status_changes",
    ]


def test_links_follow_where_the_app_is_mounted(app, client):
    with app.app_context():
        item_id = make_feedback().id
    for _ in range(2):
        mounted = client.get("/feedback/", environ_overrides={"SCRIPT_NAME": "/board"}).text
        assert 'href="/board/static/corkboard.css"' in mounted
        assert 'href="/board/notes/"' in mounted
        assert f'href="/board/feedback/{item_id}"' in mounted
        plain = client.get("/feedback/").text
        assert 'href="/static/corkboard.css"' in plain
        assert f'href="/feedback/{item_id}"' in plain
        assert 'href="/board/' not in plain


def test_lists_show_an_item_as_it_is_now(app, client):
    with app.app_context():
        item_id = make_feedback(name="Ada", message="First draft").id
    for path in ("/", "/feedback/"):
        assert "First draft" in client.get(path).text
    with app.app_context():
        db.session.execute(
            sa.update(Feedback).where(Feedback.id == item_id).values(name="Grace", message="Fixed")
        )
        db.session.commit()
    for path in ("/", "/feedback/"):
        page = client.get(path).text
        assert "Fixed" in page and "Grace" in page
        assert "First draft" not in page and "Ada" not in page


def test_numbered_pages_stop_at_500_with_a_way_further(app, client):
    with app.app_context():
        make_feedback_series(3)
    response = client.get("/feedback/?page=501")
    assert response.status_code == 404
    assert "Numbered pages stop at page 500" in response.text
    assert 'href="/feedback/?page=500"' in response.text
    assert "<main" in response.text
    notes = client.get("/notes/?page=9999")
    assert notes.status_code == 404 and 'href="/notes/?page=500"' in notes.text
