"""Statuses, the team's response, the history of changes, and the roadmap."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Feedback, StatusChange, User, utcnow
from tests.factories import make_feedback, make_user


@pytest.fixture
def item(app):
    with app.app_context():
        return make_feedback(message="Export to CSV, please").id


def row(app, id) -> Feedback:
    with app.app_context():
        return db.session.get(Feedback, id)


def history(app, id) -> list[tuple[str, str | None]]:
    with app.app_context():
        changes = db.session.scalars(
            sa.select(StatusChange).where(StatusChange.feedback_id == id).order_by(StatusChange.id)
        )
        return [(change.status, change.response) for change in changes]


def test_every_item_starts_open(app, client, item):
    assert row(app, item).status == "open"
    assert ">Open</span>" in client.get(f"/feedback/{item}").text
    assert ">Open</span>" in client.get("/feedback/").text


def test_an_admin_sets_the_status_with_a_public_response(app, client, auth, admin, item):
    auth.login("boss")
    form = client.get(f"/feedback/{item}").text
    assert f'action="/admin/feedback/{item}/status"' in form

    response = client.post(
        f"/admin/feedback/{item}/status",
        data={"status": "planned", "response": "Coming in **May**. <script>alert(1)</script>"},
    )
    assert response.status_code == 302 and response.headers["Location"] == f"/feedback/{item}"
    stored = row(app, item)
    assert stored.status == "planned" and stored.status_changed_at is not None
    assert stored.responded_at is not None

    page = app.test_client().get(f"/feedback/{item}").text  # what everyone sees
    assert ">Planned</span>" in page
    assert "The team's response" in page and "<strong>May</strong>" in page
    assert "<script>alert(1)" not in page
    assert "Status and response" not in page  # the form is for admins
    assert history(app, item) == [("planned", "Coming in **May**. <script>alert(1)</script>")]


def test_each_change_is_kept_as_history(app, client, auth, admin, item):
    auth.login("boss")
    client.post(f"/admin/feedback/{item}/status", data={"status": "under_review"})
    client.post(
        f"/admin/feedback/{item}/status", data={"status": "in_progress", "response": "On it"}
    )
    client.post(
        f"/admin/feedback/{item}/status", data={"status": "in_progress", "response": "On it"}
    )
    client.post(f"/admin/feedback/{item}/status", data={"status": "done", "response": "On it"})
    assert history(app, item) == [
        ("under_review", None),
        ("in_progress", "On it"),
        ("done", None),  # the response did not change
    ]
    page = client.get(f"/feedback/{item}").text
    assert page.count("<li><time") == 3 and "with a response from the team" in page


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"status": "duplicate"}, "Not a valid choice"),
        ({"status": "shipped"}, "Not a valid choice"),
        ({}, "Not a valid choice"),
        ({"status": "done", "response": "x" * 5001}, "5000"),
        ({"status": "done", "response": "a\x00b"}, "NUL"),
    ],
)
def test_a_refused_status_change_stores_nothing(app, client, auth, admin, item, data, error):
    auth.login("boss")
    response = client.post(f"/admin/feedback/{item}/status", data=data)
    assert response.status_code == 422
    assert error in response.text
    if len(data.get("response", "")) > 5000:
        assert "x" * 5001 in response.text  # what was typed is kept
    assert row(app, item).status == "open" and history(app, item) == []


def test_members_cannot_set_statuses(app, client, auth, user, item):
    auth.login("alice")
    assert client.post(f"/admin/feedback/{item}/status", data={"status": "done"}).status_code == 403
    assert row(app, item).status == "open"


def test_status_of_an_unknown_item_is_a_404(client, auth, admin):
    auth.login("boss")
    assert client.post("/admin/feedback/424242/status", data={"status": "done"}).status_code == 404


def feedback_with(status: str, votes: int, **fields) -> int:
    fields = {"status_changed_at": utcnow()} | fields
    item = make_feedback(status=status, vote_count=votes, **fields)
    return item.id


def test_roadmap_shows_three_columns_most_voted_first(app, client):
    with app.app_context():
        feedback_with("planned", 3, message="Planned, three votes")
        feedback_with("planned", 9, message="Planned, nine votes")
        feedback_with("in_progress", 1, message="Being built")
        feedback_with("done", 5, message="Shipped last week")
        feedback_with(
            "done", 50, message="Shipped long ago", status_changed_at=utcnow() - timedelta(days=91)
        )
        feedback_with("planned", 99, message="Hidden plan", hidden=True)
        feedback_with("open", 99, message="Not on the roadmap")
    page = client.get("/roadmap").text
    columns = re.split(r'<h2 id="column-', page)[1:]
    assert [column.split('"')[0] for column in columns] == ["planned", "in_progress", "done"]
    planned, in_progress, done = columns
    assert planned.index("nine votes") < planned.index("three votes")
    assert "Being built" in in_progress
    assert "Shipped last week" in done and "Shipped long ago" not in done
    assert "Hidden plan" not in page and "Not on the roadmap" not in page


def test_a_roadmap_column_shows_50_and_links_the_rest(app, client, monkeypatch):
    with app.app_context():
        for votes in range(52):
            feedback_with("planned", votes, message=f"Idea with {votes} votes")
    page = client.get("/roadmap").text
    assert page.count("Idea with") == 50
    assert "Idea with 51 votes" in page and "Idea with 1 votes" not in page
    assert 'href="/feedback/?status=planned&amp;sort=top"' in page


def test_the_database_refuses_an_unknown_status(app):
    # MariaDB reports a failed CHECK as an OperationalError, the others as an IntegrityError.
    refused = (sa.exc.IntegrityError, sa.exc.OperationalError)
    with app.app_context(), pytest.raises(refused):
        make_feedback(status="shipped")


def test_admins_deleted_later_leave_the_history(app, item):
    with app.app_context():
        boss = make_user(username="temp_boss", is_admin=True)
        db.session.get(Feedback, item).set_status("done", "Done!", by=boss)
        db.session.commit()
        db.session.delete(db.session.get(User, boss.id))
        db.session.commit()
    assert history(app, item) == [("done", "Done!")]
