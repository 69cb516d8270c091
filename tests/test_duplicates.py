"""Merging duplicates: votes move to the original (once per member), links both ways."""

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Feedback, Vote
from tests.conftest import detached_member
from tests.factories import make_feedback


def votes_of(app, id) -> tuple[int, set[int]]:
    """(the item's vote_count, the ids of the members whose votes it holds)."""
    with app.app_context():
        count = db.session.get(Feedback, id).vote_count
        voters = set(db.session.scalars(sa.select(Vote.user_id).where(Vote.feedback_id == id)))
        return count, voters


@pytest.fixture
def pair(app):
    """An original and its duplicate, each with votes; ann voted for both."""
    members = [
        detached_member(app, username=name, email=f"{name}@example.org")
        for name in ("ann", "ben", "cat")
    ]
    ann, ben, cat = (member.id for member in members)
    with app.app_context():
        original = make_feedback(message="Dark mode please").id
        duplicate = make_feedback(message="A dark theme would be nice").id
        for item, voters in ((original, (ann, ben)), (duplicate, (ann, cat))):
            for voter in voters:
                Vote.cast(item, voter, wanted=True)
        db.session.commit()
    return {"original": original, "duplicate": duplicate, "ann": ann, "ben": ben, "cat": cat}


def test_merging_moves_votes_and_links_both_ways(app, client, auth, admin, pair):
    original, duplicate = pair["original"], pair["duplicate"]
    auth.login("boss")
    response = client.post(f"/admin/feedback/{duplicate}/merge", data={"into": str(original)})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/feedback/{original}"

    assert votes_of(app, original) == (3, {pair["ann"], pair["ben"], pair["cat"]})
    assert votes_of(app, duplicate) == (0, set())
    with app.app_context():
        merged = db.session.get(Feedback, duplicate)
        assert merged.status == "duplicate" and merged.duplicate_of_id == original

    visitor = app.test_client()
    page = visitor.get(f"/feedback/{duplicate}").text
    assert f'Merged into <a href="/feedback/{original}">#{original}</a>' in page
    assert ">Duplicate<" in page
    assert (
        f'href="/feedback/{duplicate}">#{duplicate}</a>'
        in visitor.get(f"/feedback/{original}").text
    )
    listed = visitor.get("/feedback/").text
    assert "A dark theme" not in listed and "Dark mode please" in listed
    assert "A dark theme" in visitor.get("/feedback/?status=duplicate").text


@pytest.mark.parametrize(
    ("into", "error"),
    [
        ("self", "cannot be merged into itself"),
        ("999999", "There is no item #999999"),
        ("abc", "Not a valid integer"),
        ("", "Give the number of the original item"),
        ("-3", "There is no item #-3"),
        ("99999999999999", "There is no item"),
    ],
)
def test_a_refused_merge_changes_nothing(app, client, auth, admin, pair, into, error):
    duplicate = pair["duplicate"]
    auth.login("boss")
    into = str(duplicate) if into == "self" else into
    response = client.post(f"/admin/feedback/{duplicate}/merge", data={"into": into})
    assert response.status_code == 422
    assert error in response.text
    assert votes_of(app, duplicate)[0] == 2
    with app.app_context():
        assert db.session.get(Feedback, duplicate).status == "open"


def test_merging_into_a_duplicate_or_in_a_loop_is_refused(app, client, auth, admin, pair):
    original, duplicate = pair["original"], pair["duplicate"]
    with app.app_context():
        third = make_feedback(message="Night mode").id
    auth.login("boss")
    client.post(f"/admin/feedback/{duplicate}/merge", data={"into": str(original)})

    into_duplicate = client.post(f"/admin/feedback/{third}/merge", data={"into": str(duplicate)})
    assert into_duplicate.status_code == 422
    assert f"merge into the original, #{original}" in into_duplicate.text
    loop = client.post(f"/admin/feedback/{original}/merge", data={"into": str(duplicate)})
    assert loop.status_code == 422
    again = client.post(f"/admin/feedback/{duplicate}/merge", data={"into": str(third)})
    assert again.status_code == 422 and "merged into" in again.text
    with app.app_context():
        assert db.session.get(Feedback, original).status == "open"
        assert db.session.get(Feedback, third).status == "open"


def test_a_duplicate_takes_no_votes(app, client, auth, admin, pair):
    auth.login("boss")
    client.post(f"/admin/feedback/{pair['duplicate']}/merge", data={"into": str(pair["original"])})
    response = client.post(f"/feedback/{pair['duplicate']}/vote", data={"vote": "1"})
    assert response.status_code == 409
    assert f"merged into #{pair['original']}" in response.text


def test_deleting_an_original_reopens_its_duplicates(app, client, auth, admin, pair):
    auth.login("boss")
    client.post(f"/admin/feedback/{pair['duplicate']}/merge", data={"into": str(pair["original"])})
    assert client.post(f"/admin/feedback/{pair['original']}/delete").status_code == 302
    with app.app_context():
        reopened = db.session.get(Feedback, pair["duplicate"])
        assert reopened.status == "open" and reopened.duplicate_of_id is None


def test_a_duplicates_status_is_its_originals_business(app, client, auth, admin, pair):
    auth.login("boss")
    client.post(f"/admin/feedback/{pair['duplicate']}/merge", data={"into": str(pair["original"])})
    page = client.get(f"/feedback/{pair['duplicate']}").text
    assert "Status and response" not in page and "Merge as a duplicate" not in page
    response = client.post(f"/admin/feedback/{pair['duplicate']}/status", data={"status": "open"})
    assert response.status_code == 409 and "set the original" in response.text
    with app.app_context():
        assert db.session.get(Feedback, pair["duplicate"]).status == "duplicate"


def test_what_was_merged_into_an_item_follows_it(app, client, auth, admin, pair):
    with app.app_context():
        third = make_feedback(message="Dark mode, again").id
    auth.login("boss")
    client.post(f"/admin/feedback/{third}/merge", data={"into": str(pair["duplicate"])})
    client.post(f"/admin/feedback/{pair['duplicate']}/merge", data={"into": str(pair["original"])})
    with app.app_context():
        assert db.session.get(Feedback, third).duplicate_of_id == pair["original"]


def test_a_merge_checks_again_under_its_locks(app, pair, admin):
    """Another admin merged the original meanwhile: nothing changes, no loop forms."""
    with app.app_context():
        original = db.session.get(Feedback, pair["original"])
        duplicate = db.session.get(Feedback, pair["duplicate"])
        db.session.execute(
            sa.update(Feedback)
            .where(Feedback.id == original.id)
            .values(duplicate_of_id=duplicate.id)
        )
        assert duplicate.merge_into(original, by=admin) is False
        db.session.rollback()
