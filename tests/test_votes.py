"""Votes: one per member per item, idempotent, counted exactly, shown to all, voters to admins."""

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Feedback, Vote
from tests.conftest import detached_member
from tests.factories import make_feedback

JSON = {"Accept": "application/json"}


@pytest.fixture
def item(app):
    with app.app_context():
        return make_feedback(message="Add a dark mode").id


def stored_votes(app, item) -> tuple[int, int]:
    """(the item's vote_count, how many vote rows it has)."""
    with app.app_context():
        count = db.session.get(Feedback, item).vote_count
        rows = db.session.scalar(
            sa.select(sa.func.count()).select_from(Vote).where(Vote.feedback_id == item)
        )
        return count, rows


def test_a_member_votes_and_withdraws_with_the_form(app, client, auth, user, item):
    auth.login("alice")
    response = client.post(f"/feedback/{item}/vote", data={"vote": "1"})
    assert response.status_code == 302 and response.headers["Location"] == f"/feedback/{item}"
    page = client.get(f"/feedback/{item}").text
    assert "Your vote is counted." in page
    assert "1 vote<" in page and 'aria-pressed="true"' in page and "Withdraw my vote" in page
    assert stored_votes(app, item) == (1, 1)

    client.post(f"/feedback/{item}/vote", data={"vote": "0"})
    page = client.get(f"/feedback/{item}").text
    assert "Your vote is withdrawn." in page and "0 votes" in page and "Vote for this" in page
    assert stored_votes(app, item) == (0, 0)


@pytest.mark.parametrize("choice", ["1", "0"])
def test_sending_the_same_vote_twice_changes_nothing(app, client, auth, user, item, choice):
    """A double click never flips a vote back."""
    auth.login("alice")
    first = client.post(f"/feedback/{item}/vote", data={"vote": choice}, headers=JSON).json
    second = client.post(f"/feedback/{item}/vote", data={"vote": choice}, headers=JSON).json
    expected = {"votes": int(choice), "voted": choice == "1"}
    assert first == second == expected
    assert stored_votes(app, item) == (int(choice), int(choice))


def test_votes_of_several_members_add_up_and_show_on_the_card(app, item):
    for n in range(3):
        detached_member(app, username=f"voter{n}", email=f"voter{n}@example.org")
        client = app.test_client()
        client.post("/auth/login", data={"username": f"voter{n}", "password": "correct horse"})
        answer = client.post(f"/feedback/{item}/vote", data={"vote": "1"}, headers=JSON)
        assert answer.json == {"votes": n + 1, "voted": True}
    assert stored_votes(app, item) == (3, 3)
    assert "3 votes" in app.test_client().get("/feedback/").text
    assert "3 votes" in app.test_client().get("/").text


def test_anonymous_visitors_are_sent_to_log_in_and_back(client, item):
    response = client.post(f"/feedback/{item}/vote", data={"vote": "1"})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/auth/login?next=/feedback/{item}"
    script = client.post(f"/feedback/{item}/vote", data={"vote": "1"}, headers=JSON)
    assert script.status_code == 401


@pytest.mark.parametrize("value", [None, "", "2", "-1", "yes", "١"])
def test_a_vote_that_is_neither_1_nor_0_is_refused(app, client, auth, user, item, value):
    auth.login("alice")
    data = {} if value is None else {"vote": value}
    response = client.post(f"/feedback/{item}/vote", data=data)
    assert response.status_code == 400
    assert "vote=1" in response.text
    assert stored_votes(app, item) == (0, 0)


def test_hidden_and_unknown_items_cannot_be_voted_on(app, client, auth, user):
    with app.app_context():
        hidden = make_feedback(hidden=True).id
    auth.login("alice")
    assert client.post(f"/feedback/{hidden}/vote", data={"vote": "1"}).status_code == 404
    assert client.post("/feedback/999999/vote", data={"vote": "1"}).status_code == 404
    assert stored_votes(app, hidden) == (0, 0)


def test_a_vote_needs_the_csrf_token(app_factory):
    app = app_factory(WTF_CSRF_ENABLED=True)
    with app.app_context():
        item = make_feedback().id
    detached_member(app, username="alice", email="alice@example.org")
    client = app.test_client()
    login_page = client.get("/auth/login").text
    token = login_page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    client.post(
        "/auth/login", data={"username": "alice", "password": "correct horse", "csrf_token": token}
    )
    assert client.post(f"/feedback/{item}/vote", data={"vote": "1"}).status_code == 400
    assert stored_votes(app, item) == (0, 0)


def test_only_admins_see_who_voted(app, client, auth, user, admin, item):
    auth.login("alice")
    client.post(f"/feedback/{item}/vote", data={"vote": "1"})
    assert "Who voted" not in client.get(f"/feedback/{item}").text
    assert "Who voted" not in app.test_client().get(f"/feedback/{item}").text
    auth.logout()
    auth.login("boss")
    page = client.get(f"/feedback/{item}").text
    assert "Who voted" in page and "alice" in page


def test_deleting_an_item_takes_its_votes(app, client, auth, user, item):
    auth.login("alice")
    client.post(f"/feedback/{item}/vote", data={"vote": "1"})
    with app.app_context():
        db.session.delete(db.session.get(Feedback, item))
        db.session.commit()
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Vote)) == 0
