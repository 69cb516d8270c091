"""Plain factory functions: each stores one row with sensible defaults and returns it."""

from datetime import UTC, datetime, timedelta
from itertools import count

from app.extensions import db
from app.models import Feedback, Note, User

_sequence = count(1)


def make_feedback(**overrides) -> Feedback:
    n = next(_sequence)
    fields = {"name": f"Visitor {n}", "message": f"Message number {n}."} | overrides
    item = Feedback(**fields)
    db.session.add(item)
    db.session.commit()
    return item


def make_feedback_series(total: int) -> list[Feedback]:
    """`total` items one minute apart, oldest first: item i has message `Item i`."""
    start = datetime(2026, 1, 1, tzinfo=UTC)
    items = [
        Feedback(name=f"Visitor {i}", message=f"Item {i}", created_at=start + timedelta(minutes=i))
        for i in range(total)
    ]
    db.session.add_all(items)
    db.session.commit()
    return items


def make_user(**overrides) -> User:
    n = next(_sequence)
    fields = {
        "username": f"member{n}",
        "email": f"member{n}@example.org",
        "password": "correct horse",
    } | overrides
    user = User(**fields)
    db.session.add(user)
    db.session.commit()
    return user


def make_note(author: User, **overrides) -> Note:
    n = next(_sequence)
    fields = {"title": f"Note {n}", "content": f"Content of note {n}.", "visibility": "public"}
    note = Note(author_id=author.id, **(fields | overrides))
    db.session.add(note)
    db.session.commit()
    return note
