"""The secret manage link of anonymous feedback: edit for 7 days, withdraw any time."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Comment, Feedback, Vote, utcnow
from tests.conftest import detached_member

VALID = {"name": "Visitor", "message": "The export button is hard to find"}


def post_anonymously(client, **fields) -> tuple[int, str]:
    """Post feedback as a visitor; (its id, the manage link's path) from the confirmation."""
    response = client.post("/feedback/new", data=VALID | fields, follow_redirects=True)
    link = re.search(r'<a href="http://localhost(/feedback/(\d+)/manage/[^"]+)"', response.text)
    return int(link.group(2)), link.group(1)


def test_the_confirmation_shows_the_link_once_and_keeps_only_a_hash(app, client):
    response = client.post("/feedback/new", data=VALID, follow_redirects=True)
    assert "Keep this private link" in response.text and "shown only this once" in response.text
    token = re.search(r"/manage/([^\"]+)\"", response.text).group(1)
    assert "Keep this private link" not in client.get(response.request.path).text
    with app.app_context():
        stored = db.session.scalars(sa.select(Feedback.manage_token_hash)).one()
    assert stored and token not in stored and len(stored) == 64


def test_members_get_no_manage_link(app, client, auth, user):
    auth.login("alice")
    response = client.post("/feedback/new", data=VALID, follow_redirects=True)
    assert "Keep this private link" not in response.text
    with app.app_context():
        assert db.session.scalars(sa.select(Feedback.manage_token_hash)).one() is None


def test_the_link_edits_the_words_and_is_private(app, client):
    id, link = post_anonymously(client)
    page = client.get(link)
    assert page.status_code == 200
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert "no-store" in page.headers["Cache-Control"]
    assert "The export button is hard to find</textarea>" in page.text

    saved = client.post(link, data={"name": "Ann", "message": "Found it, but move it up"})
    assert saved.status_code == 302 and saved.headers["Location"] == link
    item = app.test_client().get(f"/feedback/{id}").text
    assert "Found it, but move it up" in item and "Feedback from Ann" in item
    assert "Ann" in app.test_client().get("/feedback/?q=move").text  # search sees the edit


def test_a_refused_edit_changes_nothing_and_keeps_the_input(app, client):
    id, link = post_anonymously(client)
    response = client.post(link, data={"name": "Ann", "message": "x" * 5001})
    assert response.status_code == 422 and "x" * 5001 in response.text
    with app.app_context():
        assert db.session.get(Feedback, id).message == VALID["message"]


@pytest.mark.parametrize("wrong", ["other", "tampered", "unknown-item"])
def test_a_wrong_link_is_a_404(app, client, wrong):
    id, link = post_anonymously(client)
    other_id, other_link = post_anonymously(client, message="Another one")
    token = link.rsplit("/", 1)[1]
    path = {
        "other": f"/feedback/{id}/manage/{other_link.rsplit('/', 1)[1]}",
        "tampered": f"/feedback/{id}/manage/{token[:-1]}x",
        "unknown-item": f"/feedback/999999/manage/{token}",
    }[wrong]
    response = client.get(path)
    assert response.status_code == 404
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert client.post(f"{path}/withdraw").status_code == 404
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Feedback)) == 2


def test_after_seven_days_only_withdrawing_works(app, client):
    id, link = post_anonymously(client)
    with app.app_context():
        db.session.get(Feedback, id).created_at = utcnow() - timedelta(days=7, seconds=1)
        db.session.commit()
    page = client.get(link).text
    assert "can no longer be edited" in page and "<textarea" not in page
    refused = client.post(link, data={"name": "Ann", "message": "Too late"})
    assert refused.status_code == 403 and "you can still withdraw it" in refused.text
    assert client.post(f"{link}/withdraw").status_code == 302


def test_withdrawing_deletes_the_item_with_its_votes_and_comments(app, client):
    id, link = post_anonymously(client)
    member = detached_member(app, username="alice", email="alice@example.org")
    with app.app_context():
        Vote.cast(id, member.id, wanted=True)
        Comment.post(id, member.id, "Me too")
        db.session.commit()
    response = client.post(f"{link}/withdraw", follow_redirects=True)
    assert response.request.path == "/feedback/"
    assert "Your feedback is withdrawn" in response.text
    with app.app_context():
        assert db.session.get(Feedback, id) is None
        for model in (Vote, Comment):
            assert db.session.scalar(sa.select(sa.func.count()).select_from(model)) == 0
    assert client.get(link).status_code == 404


def test_held_feedback_gets_a_link_too(app_factory):
    app = app_factory(FEEDBACK_MODERATION=True)
    client = app.test_client()
    id, link = post_anonymously(client)
    assert "waiting for a moderator" in client.get(link).text


def test_guessing_links_is_rate_limited_like_logging_in(app_factory):
    app = app_factory(RATELIMIT_ENABLED=True)
    client = app.test_client()
    id, link = post_anonymously(client)
    statuses = [client.get(f"/feedback/{id}/manage/guess{n}").status_code for n in range(11)]
    assert statuses == [404] * 10 + [429]


def test_an_edit_waits_for_approval_again_when_moderation_is_on(app_factory):
    app = app_factory(FEEDBACK_MODERATION=True)
    client = app.test_client()
    id, link = post_anonymously(client)
    with app.app_context():
        approved = db.session.get(Feedback, id)
        approved.hidden = approved.pending = False
        db.session.commit()
    response = client.post(link, data={"name": "Ann", "message": "Now with a spam link"})
    assert response.status_code == 302
    with app.app_context():
        edited = db.session.get(Feedback, id)
        assert edited.hidden and edited.pending
    assert "Now with a spam link" not in app.test_client().get("/feedback/").text


def test_the_request_log_never_holds_the_token(app, client, caplog):
    id, link = post_anonymously(client)
    client.get(link)
    token = link.rsplit("/", 1)[1]
    assert f"/feedback/{id}/manage/…" in caplog.text
    assert token not in caplog.text
