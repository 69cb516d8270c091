"""Feedback → private note: a member's note quoting an item, listed on the item for them."""

import re

import sqlalchemy as sa

from app.extensions import db
from app.models import Feedback, Note
from tests.factories import make_feedback


def make_item(app, **fields) -> int:
    with app.app_context():
        return make_feedback(name="Ana [QA]", message="Search is slow\n\non phones", **fields).id


def test_a_member_turns_an_item_into_a_private_note(app, client, auth, user):
    item = make_item(app)
    auth.login("alice")
    response = client.post(f"/feedback/{item}/notes")
    note_id = int(re.fullmatch(r"/notes/(\d+)/edit", response.headers["Location"]).group(1))
    with app.app_context():
        note = db.session.get(Note, note_id)
        assert note.visibility == "private" and note.author_id == user.id
        assert note.feedback_id == item
        assert note.content.startswith("> Search is slow\n>\n> on phones\n\n")
    page = client.get(f"/notes/{note_id}").text
    assert "<blockquote>" in page
    link = f'<a href="/feedback/{item}" rel="noopener noreferrer">Feedback #{item} from Ana [QA]'
    assert link in page

    item_page = client.get(f"/feedback/{item}").text
    assert "Your notes on this" in item_page
    assert f'href="/notes/{note_id}">Notes on feedback #{item} from Ana [QA]</a>' in item_page


def test_nobody_else_sees_a_members_notes_on_an_item(app, client, auth, user, other_user):
    item = make_item(app)
    auth.login("alice")
    client.post(f"/feedback/{item}/notes")
    auth.logout()
    auth.login("bob")
    assert "Notes on feedback" not in client.get(f"/feedback/{item}").text
    anonymous = app.test_client().get(f"/feedback/{item}").text
    assert "Notes on feedback" not in anonymous and "Your notes on this" not in anonymous


def test_anonymous_visitors_are_sent_to_log_in_and_back(app, client):
    item = make_item(app)
    response = client.post(f"/feedback/{item}/notes")
    assert response.headers["Location"] == f"/auth/login?next=/feedback/{item}"


def test_hidden_items_cannot_be_noted(app, client, auth, user):
    item = make_item(app, hidden=True)
    auth.login("alice")
    assert client.post(f"/feedback/{item}/notes").status_code == 404
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Note)) == 0


def test_the_note_outlives_the_item(app, client, auth, user, admin):
    item = make_item(app)
    auth.login("alice")
    client.post(f"/feedback/{item}/notes")
    with app.app_context():
        db.session.get(Feedback, item).delete()
        db.session.commit()
        (note,) = db.session.scalars(sa.select(Note))
        assert note.feedback_id is None and "Search is slow" in note.content
