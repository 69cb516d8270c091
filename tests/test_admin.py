"""Moderation: admins hide, restore and delete; nobody else gets in."""

import pytest
import sqlalchemy as sa
from flask import url_for

from app.extensions import db
from app.models import Feedback, Note, User
from tests.factories import make_feedback, make_note, make_user


@pytest.fixture
def board(app, user):
    """One feedback item and one public note by alice, as ids."""
    with app.app_context():
        alice = db.session.get(User, user.id)
        return {
            "feedback": make_feedback(message="Visible feedback").id,
            "notes": make_note(alice, title="Visible note").id,
        }


def row(app, model, id):
    with app.app_context():
        return db.session.get(model, id)


def test_admin_page_lists_recent_items_with_actions(client, auth, admin, board):
    auth.login("boss")
    page = client.get("/admin/").text
    assert "Visible feedback" in page and "Visible note" in page
    assert f'action="/admin/feedback/{board["feedback"]}/hide"' in page
    assert f'action="/admin/notes/{board["notes"]}/delete"' in page


@pytest.mark.parametrize(
    ("kind", "model", "public_list", "text"),
    [
        ("feedback", Feedback, "/feedback/", "Visible feedback"),
        ("notes", Note, "/notes/", "Visible note"),
    ],
)
def test_hide_and_restore(app, client, auth, admin, board, kind, model, public_list, text):
    id = board[kind]
    visitor = app.test_client()
    auth.login("boss")

    response = client.post(f"/admin/{kind}/{id}/hide")
    assert response.status_code == 302 and response.headers["Location"] == "/admin/"
    assert row(app, model, id).hidden
    assert text not in visitor.get(public_list).text
    assert text not in visitor.get("/").text
    assert visitor.get(f"/{kind}/{id}").status_code == 404
    assert client.get(f"/{kind}/{id}").status_code == 200  # admins still see it
    assert "Hidden" in client.get("/admin/").text

    client.post(f"/admin/{kind}/{id}/restore")
    assert not row(app, model, id).hidden
    assert visitor.get(f"/{kind}/{id}").status_code == 200
    assert text in visitor.get(public_list).text


@pytest.mark.parametrize(("kind", "model"), [("feedback", Feedback), ("notes", Note)])
def test_delete(app, client, auth, admin, board, kind, model):
    auth.login("boss")
    client.post(f"/admin/{kind}/{board[kind]}/delete")
    assert row(app, model, board[kind]) is None


def test_a_hidden_note_stays_with_its_owner_marked_hidden(app, client, auth, admin, board):
    """Its owner can still read, copy or delete it; everyone else but admins gets a 404."""
    admin_client = app.test_client()
    admin_client.post("/auth/login", data={"username": "boss", "password": "correct horse"})
    admin_client.post(f"/admin/notes/{board['notes']}/hide")
    assert app.test_client().get(f"/notes/{board['notes']}").status_code == 404

    auth.login("alice")
    page = client.get(f"/notes/{board['notes']}")
    assert page.status_code == 200
    assert "Visible note" in page.text and "Hidden by a moderator" in page.text
    assert "edited" not in page.text  # a moderator's hide is not an edit
    mine = client.get("/notes/mine").text
    assert "Visible note" in mine and "Hidden by a moderator" in mine
    assert "Visible note" not in client.get("/notes/").text
    client.post(f"/notes/{board['notes']}/delete")
    assert row(app, Note, board["notes"]) is None


def test_unknown_items_and_actions_are_404(client, auth, admin):
    auth.login("boss")
    assert client.post("/admin/feedback/999999/hide").status_code == 404
    assert client.post("/admin/users/1/hide").status_code == 404
    assert client.post("/admin/feedback/1/promote").status_code == 404


def test_admins_cannot_reach_private_notes(app, client, auth, admin, user):
    with app.app_context():
        secret = make_note(db.session.get(User, user.id), visibility="private").id
    auth.login("boss")
    assert client.get(f"/notes/{secret}").status_code == 404
    assert client.post(f"/admin/notes/{secret}/hide").status_code == 404
    assert row(app, Note, secret).hidden is False


def admin_urls(app):
    """Every URL of the admin blueprint, with sample arguments, and its methods."""
    samples = {"kind": "feedback", "id": 1, "action": "hide"}
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if rule.endpoint.startswith("admin."):
                args = {name: samples[name] for name in rule.arguments}
                for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                    yield method, url_for(rule.endpoint, **args)


def test_every_admin_route_is_closed_to_everyone_but_admins(app, client, auth, user, board):
    urls = list(admin_urls(app))
    assert len(urls) >= 2
    for method, url in urls:
        anonymous = app.test_client().open(url, method=method)
        assert anonymous.status_code == 302, url
        assert anonymous.headers["Location"].startswith("/auth/login"), url
    auth.login("alice")
    for method, url in urls:
        assert client.open(url, method=method).status_code == 403, url
    assert row(app, Feedback, board["feedback"]).hidden is False


def test_create_admin_creates_and_promotes(app, monkeypatch):
    runner = app.test_cli_runner()
    monkeypatch.setenv("CORKBOARD_ADMIN_PASSWORD", "a long password")
    result = runner.invoke(args=["create-admin", "root_user", "--email", "Root@Example.org"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        admin = db.session.scalar(sa.select(User).where(User.username == "root_user"))
        assert admin.is_admin and admin.email == "root@example.org"
        assert admin.check_password("a long password")
        make_user(username="dave")

    result = runner.invoke(args=["create-admin", "DAVE"])
    assert result.exit_code == 0, result.output
    assert "dave is now an admin" in result.output
    with app.app_context():
        assert db.session.scalar(sa.select(User.is_admin).where(User.username == "dave"))


def test_create_admin_prompts_for_email_and_password(app, monkeypatch):
    monkeypatch.delenv("CORKBOARD_ADMIN_PASSWORD", raising=False)
    result = app.test_cli_runner().invoke(
        args=["create-admin", "eve"], input="eve@example.org\nsecret pass\nsecret pass\n"
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        eve = db.session.scalar(sa.select(User).where(User.username == "eve"))
        assert eve.is_admin and eve.check_password("secret pass")


@pytest.mark.parametrize(
    ("args", "password", "message"),
    [
        (["create-admin", "x"], "long enough", "3–32 letters"),
        (["create-admin", "fine", "--email", "nope"], "long enough", "@-sign"),
        (["create-admin", "fine", "--email", "f@example.org"], "short", "at least 8"),
    ],
)
def test_create_admin_refuses_bad_input(app, monkeypatch, args, password, message):
    monkeypatch.setenv("CORKBOARD_ADMIN_PASSWORD", password)
    result = app.test_cli_runner().invoke(args=args)
    assert result.exit_code != 0
    assert message in result.output
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0
