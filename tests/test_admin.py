"""Moderation: admins hide, restore and delete; nobody else gets in."""

import re

import pytest
import sqlalchemy as sa
from flask import url_for

from app.extensions import db
from app.models import Feedback, Note, User
from tests.factories import make_feedback, make_feedback_series, make_note, make_user


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


def test_admin_pages_list_items_with_actions(client, auth, admin, board):
    auth.login("boss")
    feedback = client.get("/admin/").text
    assert "Visible feedback" in feedback
    assert f'action="/admin/feedback/{board["feedback"]}/hide?tab=all"' in feedback
    notes = client.get("/admin/notes").text
    assert "Visible note" in notes
    assert f'action="/admin/notes/{board["notes"]}/delete?tab=all"' in notes


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
    moderation_list = "/admin/" if kind == "feedback" else "/admin/notes"
    assert response.status_code == 302 and response.headers["Location"] == moderation_list
    assert row(app, model, id).hidden
    assert text not in visitor.get(public_list).text
    assert text not in visitor.get("/").text
    assert visitor.get(f"/{kind}/{id}").status_code == 404
    assert client.get(f"/{kind}/{id}").status_code == 200  # admins still see it
    hidden_tab = client.get(f"{moderation_list}?tab=hidden").text
    assert text in hidden_tab and '<span class="badge">Hidden</span>' in hidden_tab

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


def held(app, total: int, **fields) -> list[int]:
    """Ids of `total` anonymous items held for approval, a minute apart, oldest first."""
    with app.app_context():
        items = make_feedback_series(total)
        for item in items:
            item.hidden = item.pending = True
            for name, value in fields.items():
                setattr(item, name, value)
        db.session.commit()
        return [item.id for item in items]


def test_pending_tab_lists_every_held_item_past_the_newest(app, client, auth, admin):
    """Held items older than a page of newer feedback are still there to approve."""
    waiting = held(app, 3)
    with app.app_context():
        for _ in range(60):
            make_feedback(message="Published later")
    auth.login("boss")

    page = client.get("/admin/")  # the pending tab comes first while anything waits
    assert page.status_code == 200
    assert 'aria-current="page">Pending feedback <span class="count">(3)</span>' in page.text
    assert page.text.count('<span class="badge">Pending</span>') == 3
    assert "Published later" not in page.text
    for id in waiting:
        assert f'action="/admin/feedback/{id}/restore?tab=pending"' in page.text


def test_publishing_a_pending_item_shows_it_and_returns_to_the_tab(app, client, auth, admin):
    (id,) = held(app, 1, message="Please approve me")
    visitor = app.test_client()
    assert visitor.get(f"/feedback/{id}").status_code == 404
    auth.login("boss")

    response = client.post(f"/admin/feedback/{id}/restore?tab=pending")
    assert response.headers["Location"] == "/admin/?tab=pending"
    item = row(app, Feedback, id)
    assert not item.hidden and not item.pending
    assert "Please approve me" in visitor.get("/feedback/").text
    tab = client.get("/admin/?tab=pending").text
    assert f"Feedback #{id} published." in tab
    assert "No feedback waits for approval." in tab


def test_hidden_tab_holds_what_moderators_hid_not_what_waits(app, client, auth, admin):
    (waiting,) = held(app, 1, message="Waiting for approval")
    with app.app_context():
        make_feedback(message="Taken down", hidden=True)
        make_feedback(message="Shown to all")
    auth.login("boss")

    hidden = client.get("/admin/?tab=hidden").text
    assert "Taken down" in hidden
    assert "Waiting for approval" not in hidden and "Shown to all" not in hidden
    everything = client.get("/admin/?tab=all").text
    assert all(text in everything for text in ("Taken down", "Waiting", "Shown to all"))

    client.post(f"/admin/feedback/{waiting}/hide?tab=pending")  # rejected: hidden, decided
    assert "Waiting for approval" in client.get("/admin/?tab=hidden").text
    assert "Waiting for approval" not in client.get("/admin/?tab=pending").text


def test_tabs_are_paginated(app_factory):
    app = app_factory(ADMIN_PER_PAGE=5)
    with app.app_context():
        make_user(username="boss", is_admin=True)
        make_feedback_series(12)
    client = app.test_client()
    client.post("/auth/login", data={"username": "boss", "password": "correct horse"})

    first = client.get("/admin/?tab=all").text
    assert "Item 11" in first and "Item 6" not in first
    older = re.search(r'<a rel="next" href="([^"]+)"', first).group(1)
    assert "tab=all" in older
    second = client.get(older.replace("&amp;", "&")).text
    assert "Item 6" in second and "Item 11" not in second
    third = client.get("/admin/?tab=all&page=3").text
    assert "Item 0" in third and 'rel="next"' not in third


def test_notes_tabs(app, client, auth, admin, user):
    with app.app_context():
        alice = db.session.get(User, user.id)
        make_note(alice, title="Fine note")
        make_note(alice, title="Rude note", hidden=True)
        make_note(alice, title="Diary", visibility="private")
    auth.login("boss")
    everything = client.get("/admin/notes").text
    assert "Fine note" in everything and "Rude note" in everything
    assert "Diary" not in everything  # private notes are their owners' alone
    hidden = client.get("/admin/notes?tab=hidden").text
    assert "Rude note" in hidden and "Fine note" not in hidden


@pytest.mark.parametrize("url", ["/admin/?tab=spam", "/admin/notes?tab=pending"])
def test_an_unknown_tab_is_a_400_naming_the_tabs(client, auth, admin, url):
    auth.login("boss")
    response = client.get(url)
    assert response.status_code == 400
    assert "choose one of" in response.text


def test_pending_count_is_bounded(app, client, auth, admin, monkeypatch):
    monkeypatch.setattr("app.admin.routes.PENDING_COUNT_LIMIT", 3)
    held(app, 5)
    auth.login("boss")
    assert '<span class="count">(2+)</span>' in client.get("/admin/").text
