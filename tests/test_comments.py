"""Comments: members post Markdown, edit and delete their own; admins delete any."""

import re

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Comment, Feedback, User
from tests.conftest import PASSWORD, detached_member
from tests.factories import make_feedback


@pytest.fixture
def item(app):
    with app.app_context():
        return make_feedback(message="Let me sort by votes").id


def counts(app, item) -> tuple[int, int]:
    """(the item's comment_count, how many comment rows it has)."""
    with app.app_context():
        stored = db.session.get(Feedback, item).comment_count
        rows = db.session.scalar(
            sa.select(sa.func.count()).select_from(Comment).where(Comment.feedback_id == item)
        )
        return stored, rows


def comment_ids(app, item) -> list[int]:
    with app.app_context():
        return list(
            db.session.scalars(
                sa.select(Comment.id).where(Comment.feedback_id == item).order_by(Comment.id)
            )
        )


def post(client, item, body):
    return client.post(f"/feedback/{item}/comments", data={"body": body})


def test_a_member_comments_in_markdown(app, client, auth, user, item):
    auth.login("alice")
    response = post(client, item, "  I'd **love** this. <script>alert(1)</script>  ")
    (comment,) = comment_ids(app, item)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/feedback/{item}#comment-{comment}"

    page = app.test_client().get(f"/feedback/{item}").text  # everyone reads comments
    assert f'id="comment-{comment}"' in page and "<strong>love</strong>" in page
    assert "<script>alert(1)" not in page
    assert "1 comment<" in page and "alice" in page
    assert "1 comment<" in app.test_client().get("/feedback/").text
    assert counts(app, item) == (1, 1)


@pytest.mark.parametrize(
    ("body", "error"),
    [("", "This field is required"), ("   ", "This field is required"),
     ("x" * 5001, "5000"), ("a\x00b", "NUL")],
)  # fmt: skip
def test_a_refused_comment_stores_nothing_and_keeps_the_text(
    app, client, auth, user, item, body, error
):
    auth.login("alice")
    response = post(client, item, body)
    assert response.status_code == 422
    assert error in response.text
    if body.strip() and "\x00" not in body:
        assert body in response.text
    assert counts(app, item) == (0, 0)


def test_anonymous_visitors_are_sent_to_log_in_and_back(app, client, item):
    page = client.get(f"/feedback/{item}").text
    assert f'href="/auth/login?next=/feedback/{item}"' in page and "to comment" in page
    response = post(client, item, "Me too")
    assert response.headers["Location"] == f"/auth/login?next=/feedback/{item}"
    assert counts(app, item) == (0, 0)


def test_the_same_comment_sent_twice_is_stored_once(app, client, auth, user, item):
    auth.login("alice")
    first = post(client, item, "Double click")
    second = post(client, item, "Double click")
    assert first.headers["Location"] == second.headers["Location"]
    assert counts(app, item) == (1, 1)


def test_comments_by_admins_carry_a_team_label(app, client, auth, admin, user, item):
    auth.login("boss")
    post(client, item, "We are looking into it.")
    auth.logout()
    auth.login("alice")
    post(client, item, "Thanks!")
    page = client.get(f"/feedback/{item}").text
    assert page.count('class="badge badge-team">Team<') == 1
    assert page.index("Team") < page.index("Thanks!")  # oldest first


def test_authors_edit_their_comments(app, client, auth, user, other_user, item):
    auth.login("alice")
    post(client, item, "Frist")
    (comment,) = comment_ids(app, item)
    form = client.get(f"/comments/{comment}/edit")
    assert form.status_code == 200 and "Frist</textarea>" in form.text
    response = client.post(f"/comments/{comment}/edit", data={"body": "First!"})
    assert response.headers["Location"] == f"/feedback/{item}#comment-{comment}"
    page = client.get(f"/feedback/{item}").text
    assert "First!" in page and "Frist" not in page and "edited" in page

    assert client.post(f"/comments/{comment}/edit", data={"body": ""}).status_code == 422
    auth.logout()
    auth.login("bob")
    assert client.get(f"/comments/{comment}/edit").status_code == 403
    assert client.post(f"/comments/{comment}/edit", data={"body": "Hijacked"}).status_code == 403
    anonymous = app.test_client().get(f"/comments/{comment}/edit")
    assert anonymous.headers["Location"].startswith("/auth/login")


def test_authors_and_admins_delete_comments(app, client, auth, user, other_user, admin, item):
    auth.login("alice")
    post(client, item, "Mine")
    post(client, item, "Also mine")
    first, second = comment_ids(app, item)
    auth.logout()

    auth.login("bob")
    assert client.post(f"/comments/{first}/delete").status_code == 403
    auth.logout()

    auth.login("alice")
    response = client.post(f"/comments/{first}/delete")
    assert response.headers["Location"] == f"/feedback/{item}#comments"
    assert counts(app, item) == (1, 1)
    auth.logout()

    auth.login("boss")
    client.post(f"/comments/{second}/delete")
    assert counts(app, item) == (0, 0)
    assert client.post(f"/comments/{second}/delete").status_code == 404


def test_hidden_feedback_hides_its_comments(app, client, auth, user, item):
    auth.login("alice")
    post(client, item, "Nice idea")
    (comment,) = comment_ids(app, item)
    with app.app_context():
        db.session.get(Feedback, item).hidden = True
        db.session.commit()
    assert app.test_client().get(f"/feedback/{item}").status_code == 404
    assert client.get(f"/comments/{comment}/edit").status_code == 404
    assert client.post(f"/comments/{comment}/delete").status_code == 404
    assert post(client, item, "More").status_code == 404
    assert counts(app, item) == (1, 1)


def test_comments_are_paginated_past_50(app, client, auth, user, item):
    auth.login("alice")
    for n in range(51):
        response = post(client, item, f"Comment number {n}")
    last = comment_ids(app, item)[-1]
    assert response.headers["Location"] == f"/feedback/{item}?page=2#comment-{last}"
    first_page = client.get(f"/feedback/{item}").text
    assert first_page.count('class="comment"') == 50
    assert "Comment number 0<" in first_page and "Comment number 50<" not in first_page
    assert f'href="/feedback/{item}?page=2#comments">Later comments' in first_page
    second_page = client.get(f"/feedback/{item}?page=2").text
    assert second_page.count('class="comment"') == 1 and "Comment number 50<" in second_page
    assert "51 comments" in second_page


def test_a_deleted_members_comments_stay_by_a_former_member(app, client, auth, item):
    member = detached_member(app, username="leaving", email="leaving@example.org")
    client.post("/auth/login", data={"username": "leaving", "password": PASSWORD})
    post(client, item, "Bye for now")
    with app.app_context():
        db.session.delete(db.session.get(User, member.id))
        db.session.commit()
    page = app.test_client().get(f"/feedback/{item}").text
    assert "Bye for now" in page and "a former member" in page
    assert re.search(r"1 comment<", page)


def test_a_comment_deleted_twice_at_once_is_uncounted_once(app, client, auth, user, item):
    auth.login("alice")
    post(client, item, "Going twice")
    (id,) = comment_ids(app, item)
    with app.app_context():
        # This request loaded the comment; the other request's delete commits first.
        loaded = db.session.get(Comment, id)
        db.session.expunge(loaded)
        db.session.commit()
        db.session.get(Comment, id).delete()
        db.session.commit()
        loaded.delete()
        db.session.commit()
    assert counts(app, item) == (0, 0)
