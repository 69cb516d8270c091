"""Who may do what on the portal's routes: votes, comments, notes from feedback, and the
team's actions, for every kind of visitor; a refused request changes nothing.

`login` means a redirect to the login page; numbers are status codes. The owner is the
member who wrote the comment (and the feedback).
"""

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Comment, Feedback, FeedbackTag, Note, Tag, User, Vote
from tests.conftest import PASSWORD
from tests.factories import make_feedback

WHO = ("anonymous", "other", "owner", "admin")

# (method, path, form data): expected outcome for anonymous, other, owner, admin
MATRIX = [
    ("GET", "/feedback/{item}", None, (200, 200, 200, 200)),
    ("GET", "/roadmap", None, (200, 200, 200, 200)),
    ("POST", "/feedback/{item}/vote", {"vote": "1"}, ("login", 302, 302, 302)),
    ("POST", "/feedback/{item}/comments", {"body": "Me too"}, ("login", 302, 302, 302)),
    ("POST", "/feedback/{item}/notes", None, ("login", 302, 302, 302)),
    ("GET", "/comments/{comment}/edit", None, ("login", 403, 200, 403)),
    ("POST", "/comments/{comment}/edit", {"body": "Changed"}, ("login", 403, 302, 403)),
    ("POST", "/comments/{comment}/delete", None, ("login", 403, 302, 302)),
    ("GET", "/admin/notes", None, ("login", 403, 403, 200)),
    ("GET", "/admin/tags", None, ("login", 403, 403, 200)),
    ("POST", "/admin/tags", {"name": "New tag"}, ("login", 403, 403, 302)),
    ("POST", "/admin/tags/{tag}/delete", None, ("login", 403, 403, 302)),
    ("POST", "/admin/feedback/{item}/tags", {"tags": "Billing"}, ("login", 403, 403, 302)),
    ("POST", "/admin/feedback/{item}/status", {"status": "planned"}, ("login", 403, 403, 302)),
    ("POST", "/admin/feedback/{item}/merge", {"into": "{original}"}, ("login", 403, 403, 302)),
]

CASES = [
    pytest.param(method, path, data, who, expected, id=f"{who}-{method}-{path}")
    for method, path, data, outcomes in MATRIX
    for who, expected in zip(WHO, outcomes, strict=True)
]


def snapshot(ids: dict) -> tuple:
    """Everything the routes above could change."""
    item = db.session.get(Feedback, ids["item"])
    comment = db.session.get(Comment, ids["comment"])

    def count(model) -> int:
        return db.session.scalar(sa.select(sa.func.count()).select_from(model))

    return (
        (item.status, item.vote_count, item.comment_count, item.duplicate_of_id),
        comment.body if comment else None,
        tuple(count(model) for model in (Vote, Comment, Note, Tag, FeedbackTag)),
    )


@pytest.mark.parametrize(("method", "path", "data", "who", "expected"), CASES)
def test_access(app, client, auth, user, other_user, admin, method, path, data, who, expected):
    with app.app_context():
        alice = db.session.get(User, user.id)
        item = make_feedback(author_id=alice.id, name="alice")
        original = make_feedback(message="The original")
        comment = Comment.post(item.id, alice.id, "First!")
        tag = Tag(name="Billing")
        db.session.add(tag)
        db.session.commit()
        ids = {"item": item.id, "original": original.id, "comment": comment.id, "tag": tag.id}
        before = snapshot(ids)
    login_as = {"other": "bob", "owner": "alice", "admin": "boss"}.get(who)
    if login_as:
        assert auth.login(login_as, PASSWORD).status_code == 302

    form = {name: value.format(**ids) for name, value in (data or {}).items()}
    response = client.open(path.format(**ids), method=method, data=form or None)

    if expected == "login":
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/auth/login?next=")
    else:
        assert response.status_code == expected
    if method == "POST" and expected != 302:
        with app.app_context():
            assert snapshot(ids) == before  # nothing changed
    elif method == "POST":
        with app.app_context():
            assert snapshot(ids) != before  # the change went through
