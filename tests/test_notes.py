"""Members' notes: writing, reading, editing and deleting, and who may do what."""

import re

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Note, User
from tests.factories import make_note, make_user

NOTE = {"title": "Groceries", "content": "- eggs\n- **milk**", "visibility": "private"}


def notes(app) -> list[Note]:
    with app.app_context():
        return db.session.scalars(sa.select(Note).order_by(Note.id)).all()


def test_new_note_needs_a_member(client):
    response = client.get("/notes/new")
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]
    assert client.post("/notes/new", data=NOTE).status_code == 302


def test_member_writes_a_note_and_reads_it_rendered(app, client, auth, user):
    auth.login("alice")
    response = client.post("/notes/new", data=NOTE)
    assert response.status_code == 302
    [note] = notes(app)
    assert (note.title, note.visibility, note.author_id) == ("Groceries", "private", user.id)
    page = client.get(response.headers["Location"]).text
    assert "Your note is saved." in page
    assert "<li><strong>milk</strong></li>" in page
    assert "Private" in page


def test_the_form_defaults_to_private(client, auth, user):
    auth.login("alice")
    page = client.get("/notes/new").text
    assert re.search(r'<input checked[^>]* name="visibility"[^>]* value="private">', page)


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("title", "", "This field is required."),
        ("title", " \t ", "This field is required."),
        ("title", "t" * 121, "cannot be longer than 120 characters"),
        ("title", "a\x00b", "Remove the NUL character"),
        ("content", "", "This field is required."),
        ("content", "c" * 100_001, "cannot be longer than 100000 characters"),
        ("content", "x\x00", "Remove the NUL character"),
        ("visibility", "friends", "Not a valid choice"),
        ("visibility", "", "This field is required."),
    ],
)
def test_invalid_note_is_refused_and_nothing_stored(app, client, auth, user, field, value, error):
    auth.login("alice")
    response = client.post("/notes/new", data=NOTE | {field: value})
    assert response.status_code == 422
    assert error in response.text
    assert notes(app) == []


@pytest.mark.parametrize(
    ("field", "value"),
    [("title", "t" * 120), ("title", "📝" * 120), ("content", "ü" * 100_000)],
)
def test_notes_at_the_limits_are_stored(app, client, auth, user, field, value):
    auth.login("alice")
    assert client.post("/notes/new", data=NOTE | {field: value}).status_code == 302
    assert getattr(notes(app)[0], field) == value


def test_public_list_shows_only_public_unhidden_notes(app, client, user, other_user):
    with app.app_context():
        alice, bob = db.session.get(User, user.id), db.session.get(User, other_user.id)
        make_note(alice, title="Alice public")
        make_note(alice, title="Alice private", visibility="private")
        make_note(bob, title="Bob public")
        make_note(bob, title="Bob hidden", hidden=True)
    page = client.get("/notes/").text
    assert "Alice public" in page and "Bob public" in page
    assert "Alice private" not in page and "Bob hidden" not in page
    assert page.index("Bob public") < page.index("Alice public")  # newest first
    assert "by alice" in page


def test_mine_shows_own_public_and_private_notes(app, client, auth, user, other_user):
    with app.app_context():
        alice, bob = db.session.get(User, user.id), db.session.get(User, other_user.id)
        make_note(alice, title="Alice public")
        make_note(alice, title="Alice private", visibility="private")
        make_note(bob, title="Bob public")
    auth.login("alice")
    page = client.get("/notes/mine").text
    assert "Alice public" in page and "Alice private" in page
    assert "Bob public" not in page


def test_every_page_of_mine_holds_only_the_members_own_notes(app, client, auth, user, other_user):
    with app.app_context():
        alice, bob = db.session.get(User, user.id), db.session.get(User, other_user.id)
        for n in range(25):
            make_note(alice, title=f"Alice {n}", visibility="private" if n % 2 else "public")
            make_note(bob, title=f"Bob {n}")
    auth.login("alice")
    first = client.get("/notes/mine").text
    older = re.search(r'rel="next" href="([^"]+)"', first).group(1).replace("&amp;", "&")
    pages = [first, client.get(older).text, client.get("/notes/mine?page=2").text]
    shown = [re.findall(r">((?:Alice|Bob) \d+)<", page) for page in pages]
    assert shown[0] == [f"Alice {n}" for n in range(24, 4, -1)]
    assert shown[1] == shown[2] == [f"Alice {n}" for n in range(4, -1, -1)]


def test_edit_prefills_and_saves_field_by_field(app, client, auth, user, other_user):
    with app.app_context():
        note = make_note(db.session.get(User, user.id), title="Draft", content="old")
        note_id, created = note.id, note.created_at
    auth.login("alice")
    form = client.get(f"/notes/{note_id}/edit").text
    assert 'value="Draft"' in form and "old</textarea>" in form

    response = client.post(
        f"/notes/{note_id}/edit",
        data={
            "title": "Final",
            "content": "new",
            "visibility": "public",
            "author_id": str(other_user.id),
            "hidden": "y",
            "id": "999",
            "created_at": "2000-01-01",
        },
    )
    assert response.status_code == 302
    [note] = notes(app)
    assert (note.id, note.title, note.content, note.visibility) == (
        note_id,
        "Final",
        "new",
        "public",
    )
    assert note.author_id == user.id
    assert note.hidden is False
    assert note.created_at == created
    assert note.updated_at > created


def test_invalid_edit_keeps_the_stored_note(app, client, auth, user):
    with app.app_context():
        note_id = make_note(db.session.get(User, user.id), title="Keep me").id
    auth.login("alice")
    response = client.post(f"/notes/{note_id}/edit", data=NOTE | {"title": ""})
    assert response.status_code == 422
    assert notes(app)[0].title == "Keep me"


def test_owner_deletes_and_lands_on_mine(app, client, auth, user):
    with app.app_context():
        note_id = make_note(db.session.get(User, user.id), title="Bye").id
    auth.login("alice")
    assert client.get(f"/notes/{note_id}/delete").status_code == 405
    response = client.post(f"/notes/{note_id}/delete")
    assert response.headers["Location"] == "/notes/mine"
    assert notes(app) == []
    assert "Deleted “Bye”." in client.get("/notes/mine").text


def test_deleting_a_member_deletes_their_notes_and_unlinks_feedback(app, user):
    from tests.factories import make_feedback

    with app.app_context():
        alice = db.session.get(User, user.id)
        make_note(alice)
        make_feedback(author_id=alice.id)
        db.session.delete(alice)
        db.session.commit()
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Note)) == 0


def test_numbered_note_pages_are_newest_first_and_skip_what_others_cannot_see(
    app, client, user, other_user
):
    with app.app_context():
        alice = db.session.get(User, user.id)
        titles = []
        for n in range(45):
            make_note(alice, title=f"Shared {n}")
            titles.append(f"Shared {n}")
            make_note(alice, title=f"Diary {n}", visibility="private")
        make_note(alice, title="Removed", hidden=True)
    second = client.get("/notes/?page=2").text
    assert re.findall(r">(Shared \d+|Diary \d+|Removed)<", second) == titles[24:4:-1]
    third = client.get("/notes/?page=3").text
    assert re.findall(r">(Shared \d+|Diary \d+|Removed)<", third) == titles[4::-1]


def test_note_lists_run_the_same_queries_for_1_or_30_notes(app, sql_statements):
    visitor, member = app.test_client(), app.test_client()

    def statements_for(client, path):
        sql_statements.clear()
        assert client.get(path).status_code == 200
        return len(sql_statements)

    def measure():
        return {
            "/notes/": statements_for(visitor, "/notes/"),
            "/": statements_for(visitor, "/"),
            "/notes/mine": statements_for(member, "/notes/mine"),
        }

    with app.app_context():
        writers = [make_user() for _ in range(31)]
        make_note(writers[1], visibility="public")
        make_note(writers[0], visibility="private")
        member_name = writers[0].username
    member.post("/auth/login", data={"username": member_name, "password": "correct horse"})
    one = measure()
    with app.app_context():
        writers = [db.session.merge(writer) for writer in writers]
        for writer in writers[2:]:
            make_note(writer, visibility="public")
            make_note(writers[0], visibility="private")
    thirty = measure()
    assert one == thirty
    assert thirty == {"/notes/": 1, "/": 2, "/notes/mine": 2}


def delete_note_while(app, statement_starts: str, note_id: int):
    """Delete the note, committed as another request would, just before the app runs its
    next statement starting with `statement_starts` (on the same connection: the effect of
    a delete committed elsewhere in the meantime)."""
    with app.app_context():
        engine = db.engine
    done = []

    def before(conn, cursor, statement, *args):
        if not done and statement.startswith(statement_starts):
            done.append(statement)
            cursor.execute(f"DELETE FROM notes WHERE id = {int(note_id)}")  # noqa: S608

    sa.event.listen(engine, "before_cursor_execute", before)
    return lambda: sa.event.remove(engine, "before_cursor_execute", before)


def test_a_note_deleted_while_its_edit_is_saved_is_a_404_page(app, client, auth, user):
    with app.app_context():
        note_id = make_note(db.session.get(User, user.id), title="Racing").id
    auth.login("alice")
    stop = delete_note_while(app, "UPDATE notes", note_id)
    try:
        response = client.post(f"/notes/{note_id}/edit", data=NOTE)
    finally:
        stop()
    assert response.status_code == 404
    assert "deleted while you were" in response.text
    # The simulated delete shared the request's transaction, so it rolled back with the
    # edit: what matters is that the edit stored nothing.
    assert [note.title for note in notes(app)] == ["Racing"]


def test_a_note_deleted_right_after_its_edit_was_saved_still_redirects(app, client, auth, user):
    with app.app_context():
        note_id = make_note(db.session.get(User, user.id), title="Racing").id
    auth.login("alice")

    def delete_after_commit(session):
        with db.engine.begin() as connection:
            connection.execute(sa.delete(Note).where(Note.id == note_id))

    sa.event.listen(sa.orm.Session, "after_commit", delete_after_commit, once=True)
    response = client.post(f"/notes/{note_id}/edit", data=NOTE)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/notes/{note_id}"
    assert client.get(response.headers["Location"]).status_code == 404


def test_a_new_note_is_not_edited_and_an_edit_that_changes_nothing_is_not_either(
    app, client, auth, user
):
    auth.login("alice")
    created = client.post("/notes/new", data=NOTE)
    page = client.get(created.headers["Location"]).text
    assert "edited" not in page
    note_id = notes(app)[0].id
    client.post(f"/notes/{note_id}/edit", data=NOTE)
    assert "edited" not in client.get(f"/notes/{note_id}").text
    client.post(f"/notes/{note_id}/edit", data=NOTE | {"title": "Groceries, updated"})
    assert "edited" in client.get(f"/notes/{note_id}").text
