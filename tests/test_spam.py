"""Anonymous spam without CAPTCHAs, and forms posted twice."""

import re
import time

import pytest

from app.models import Note
from tests.factories import make_user
from tests.test_feedback import VALID, stored


def form_fields(page: str) -> dict:
    """The hidden inputs a browser would send back with the form."""
    return dict(re.findall(r'<input id="(\w+)" name="\w+" type="hidden" value="([^"]*)"', page))


def test_the_form_carries_a_honeypot_and_a_submission_id(client):
    page = client.get("/feedback/new").text
    assert 'class="field honeypot" aria-hidden="true"' in page
    assert 'name="website"' in page and 'tabindex="-1"' in page
    fields = form_fields(page)
    assert re.fullmatch(r"[0-9a-f]{32}", fields["submission_id"])
    assert fields["shown_at"]


def test_a_filled_honeypot_is_refused(app, client):
    response = client.post("/feedback/new", data=VALID | {"website": "http://spam.example"})
    assert response.status_code == 422
    assert "there to catch spam robots" in response.text
    assert stored(app) == []


def test_posting_the_same_form_twice_stores_one_item(app, client):
    fields = form_fields(client.get("/feedback/new").text)
    first = client.post("/feedback/new", data=VALID | fields)
    second = client.post("/feedback/new", data=VALID | fields)
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    assert len(stored(app)) == 1
    another = form_fields(client.get("/feedback/new").text)
    client.post("/feedback/new", data=VALID | another | {"message": "Something else."})
    assert len(stored(app)) == 2


def test_back_then_post_again_stores_one_item(app, client):
    """The browser's back button shows the form again, perhaps reloaded with a fresh
    submission id: the same words from the same sender within a minute are one item."""
    first = client.post("/feedback/new", data=VALID | form_fields(client.get("/feedback/new").text))
    again = client.post("/feedback/new", data=VALID | form_fields(client.get("/feedback/new").text))
    assert again.status_code == 302
    assert again.headers["Location"] == first.headers["Location"]
    assert len(stored(app)) == 1
    client.post("/feedback/new", data=VALID | {"name": "Someone else"})
    assert len(stored(app)) == 2


def test_back_then_post_again_stores_one_note(app, client, auth, user, count_rows):
    auth.login("alice")
    note = {"title": "Once", "content": "only once", "visibility": "public"}
    first = client.post("/notes/new", data=note | form_fields(client.get("/notes/new").text))
    again = client.post("/notes/new", data=note | form_fields(client.get("/notes/new").text))
    assert again.headers["Location"] == first.headers["Location"]
    assert count_rows(Note) == 1


def test_a_note_form_posted_twice_stores_one_note(app, client, auth, user, count_rows):
    auth.login("alice")
    fields = form_fields(client.get("/notes/new").text)
    note = {"title": "Once", "content": "only once", "visibility": "public"} | fields
    assert (
        client.post("/notes/new", data=note).headers["Location"]
        == (client.post("/notes/new", data=note).headers["Location"])
    )
    assert count_rows(Note) == 1


@pytest.mark.parametrize("junk", ["", "not-hex", "A" * 32, "0" * 31, "'; DROP TABLE feedback;--"])
def test_malformed_submission_ids_are_ignored(app, client, junk):
    for n in range(2):
        posted = VALID | {"message": f"Message {n}", "submission_id": junk}
        assert client.post("/feedback/new", data=posted).status_code == 302
    assert len(stored(app)) == 2


def test_feedback_sent_too_fast_is_refused_with_input_kept(app_factory):
    app = app_factory(FEEDBACK_MIN_SECONDS=2)
    client = app.test_client()
    fields = form_fields(client.get("/feedback/new").text)
    quick = client.post("/feedback/new", data=VALID | fields)
    assert quick.status_code == 422
    assert "That was quick!" in quick.text
    assert "Lovely board." in quick.text

    forged = client.post("/feedback/new", data=VALID | fields | {"shown_at": "feedback.abc.def"})
    assert forged.status_code == 422
    assert "This form had expired" in forged.text

    time.sleep(2.1)
    assert client.post("/feedback/new", data=VALID | fields).status_code == 302
    assert len(stored(app)) == 1


def test_premoderation_holds_anonymous_feedback(app_factory):
    app = app_factory(FEEDBACK_MODERATION=True)
    with app.app_context():
        make_user(username="alice")
        make_user(username="boss", is_admin=True)
    visitor = app.test_client()
    response = visitor.post(
        "/feedback/new", data=VALID | {"message": "Held back"}, follow_redirects=True
    )
    assert "will appear once a moderator approves it" in response.text
    assert "Held back" not in visitor.get("/feedback/").text

    member = app.test_client()
    member.post("/auth/login", data={"username": "alice", "password": "correct horse"})
    member.post("/feedback/new", data=VALID | {"message": "Members go straight up"})
    assert "Members go straight up" in visitor.get("/feedback/").text

    admin = app.test_client()
    admin.post("/auth/login", data={"username": "boss", "password": "correct horse"})
    queue = admin.get("/admin/").text
    assert "Held back" in queue and "Publish" in queue
    held_id = re.search(r'href="/feedback/(\d+)">Held back', queue).group(1)
    admin.post(f"/admin/feedback/{held_id}/restore")
    assert "Held back" in visitor.get("/feedback/").text
