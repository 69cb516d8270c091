"""Who may do what: every notes and admin route for every kind of visitor.

`login` means a redirect to the login page; numbers are status codes.
"""

import pytest

from app.extensions import db
from app.models import Note, User
from tests.conftest import PASSWORD
from tests.factories import make_note

WHO = ("anonymous", "other", "owner", "admin")
EDIT = {"title": "Changed", "content": "Changed", "visibility": "public"}

# (method, path, note visibility): expected outcome for anonymous, other, owner, admin
MATRIX = [
    ("GET", "/notes/", None, (200, 200, 200, 200)),
    ("GET", "/notes/mine", None, ("login", 200, 200, 200)),
    ("GET", "/notes/new", None, ("login", 200, 200, 200)),
    ("GET", "/notes/{id}", "public", (200, 200, 200, 200)),
    ("GET", "/notes/{id}", "private", (404, 404, 200, 404)),
    ("GET", "/notes/{id}/edit", "public", ("login", 403, 200, 403)),
    ("GET", "/notes/{id}/edit", "private", ("login", 404, 200, 404)),
    ("POST", "/notes/{id}/edit", "public", ("login", 403, 302, 403)),
    ("POST", "/notes/{id}/edit", "private", ("login", 404, 302, 404)),
    ("POST", "/notes/{id}/delete", "public", ("login", 403, 302, 302)),
    ("POST", "/notes/{id}/delete", "private", ("login", 404, 302, 404)),
    ("GET", "/admin/", None, ("login", 403, 403, 200)),
    ("POST", "/admin/notes/{id}/hide", "public", ("login", 403, 403, 302)),
    ("POST", "/admin/notes/{id}/hide", "private", ("login", 403, 403, 404)),
    ("POST", "/admin/notes/{id}/restore", "public", ("login", 403, 403, 302)),
    ("POST", "/admin/notes/{id}/delete", "public", ("login", 403, 403, 302)),
    ("POST", "/admin/notes/{id}/delete", "private", ("login", 403, 403, 404)),
]

CASES = [
    pytest.param(method, path, visibility, who, expected, id=f"{who}-{method}-{path}-{visibility}")
    for method, path, visibility, outcomes in MATRIX
    for who, expected in zip(WHO, outcomes, strict=True)
]


@pytest.mark.parametrize(("method", "path", "visibility", "who", "expected"), CASES)
def test_access(
    app, client, auth, user, other_user, admin, method, path, visibility, who, expected
):
    with app.app_context():
        note = make_note(db.session.get(User, user.id), visibility=visibility or "public")
        note_id, before = note.id, (note.title, note.visibility, note.hidden)
    login_as = {"other": "bob", "owner": "alice", "admin": "boss"}.get(who)
    if login_as:
        assert auth.login(login_as, PASSWORD).status_code == 302

    url = path.format(id=note_id)
    response = client.open(url, method=method, data=EDIT if method == "POST" else None)

    if expected == "login":
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/auth/login?next=")
    else:
        assert response.status_code == expected
    if method == "POST" and expected != 302:
        with app.app_context():
            note = db.session.get(Note, note_id)
            assert (note.title, note.visibility, note.hidden) == before  # nothing changed
