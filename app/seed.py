"""Realistic demo data, generated deterministically from a seed and stored in bulk.

Rows are generated in chunks and inserted with executemany (COPY on PostgreSQL), inside
one transaction per table, so a million feedback items take well under two minutes.
Times increase with ids, as on a real board, spread over the year before `now`. Some
items get a status, votes and comments from the demo members, and tags; each item's
vote_count and comment_count match the rows stored for it.
"""

import random
import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from app.extensions import db
from app.models import Comment, Feedback, FeedbackTag, Note, Tag, User, Vote

CHUNK = 10_000
DEMO_PASSWORD = "corkboard-demo"  # noqa: S105 - published on purpose, for demo members

FIRST_NAMES = (
    "Ada Grace Alan Linus Margaret Barbara Ken Dennis Radia Frances Katherine Tim Guido Yukihiro "
    "Zoë José Søren Aiko Mohammed Ngozi Priya Mateo Olga Chen Hana Lukas Amara Diego Fatima Ines "
    "Jonas Leila Mei Nikolai Oluwaseun Pablo Quentin Rosa Sven Tariq Uma Valentina Wei Ximena "
    "Yusuf Zainab Émile Łukasz Björn Chloé"
).split()
LAST_NAMES = (
    "Lovelace|Hopper|Turing|Torvalds|Hamilton|Liskov|Thompson|Ritchie|Perlman|Allen|Johnson|"
    "Berners-Lee|van Rossum|Matsumoto|García|Kowalski|Nakamura|Okafor|Sharma|Rossi|Petrov|Wang|"
    "Müller|Dubois|Andersson|O'Brien|Haddad|Silva|Nguyen|Kim|Novak|Fischer|Costa"
).split("|")
SUBJECTS = (
    "The new layout|Search|The notes page|Dark mode|The login form|Page loading|The admin view|"
    "Markdown support|This board|The mobile view|Pagination|The feedback form|The footer"
).split("|")
VERDICTS = (
    "works really well|feels a bit slow on my phone|is exactly what we needed|could be clearer|"
    "made my day|needs a bigger font|is lovely in dark mode|broke once but recovered|"
    "is much better than last week|confused me at first|is fast even with lots of entries"
).split("|")
FOLLOW_UPS = (
    "Thanks for building it!|Keep up the good work.|Could you add keyboard shortcuts?|"
    "I use it every day.|Please keep it simple.|Would love an export button.|"
    "Tried it on three browsers.|Merci beaucoup !|¡Muchas gracias!|Danke schön.|ありがとう！|"
    "شكرا جزيلا|Спасибо!|👍|🎉 Great release.|☕ Best with coffee.|Noted for the team meeting."
).split("|")
NOTE_TOPICS = (
    "Meeting notes|Reading list|Recipe|Release checklist|Travel plans|Ideas|Bug hunt|"
    "Garden log|Book club|Weekly review|Conference talk|Onboarding tips"
).split("|")
WORDS = (
    "board note idea plan draft review change release test deploy coffee garden book chapter "
    "travel train station recipe butter flour sugar meeting agenda action owner deadline "
    "database index query cursor page search snippet browser phone layout colour contrast"
).split()


# Where seeded items stand: most are open, as on a real board.
STATUS_WEIGHTS = {
    "open": 80, "under_review": 5, "planned": 5, "in_progress": 3, "done": 5, "declined": 2,
}  # fmt: skip
DEMO_TAGS = ("Mobile", "Performance", "Accessibility", "Search", "Notes", "Dark mode")
COMMENTS = (
    "Same here.|+1, this would help our team.|We are looking into it.|Any news on this?|"
    "Works for me on Firefox.|Could you share a screenshot?|This is **really** needed.|"
    "Fixed in the latest release, I think.|Related to the search work, maybe."
).split("|")


def person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def feedback_message(rng: random.Random) -> str:
    sentences = [f"{rng.choice(SUBJECTS)} {rng.choice(VERDICTS)}."]
    sentences += rng.sample(FOLLOW_UPS, rng.randint(0, 2))
    if rng.random() < 0.3:
        sentences.append(" ".join(rng.choices(WORDS, k=rng.randint(5, 20))).capitalize() + ".")
    return " ".join(sentences)


def note_content(rng: random.Random) -> str:
    lines = [f"## {rng.choice(NOTE_TOPICS)}", ""]
    lines += [f"- {' '.join(rng.choices(WORDS, k=rng.randint(2, 6)))}" for _ in range(4)]
    lines += ["", f"**{rng.choice(VERDICTS).capitalize()}**, see [the docs](https://example.org)."]
    if rng.random() < 0.3:
        lines += ["", "```", f"flask seed --feedback {rng.randint(1, 999)}", "```"]
    lines += ["", rng.choice(FOLLOW_UPS)]
    return "\n".join(lines)


def spread(total: int, now: datetime) -> Callable[[int], datetime]:
    """Row i's time: increasing with i, over the year before `now`."""
    start, step = now - timedelta(days=365), timedelta(days=365) / max(total, 1)
    return lambda i: start + step * i


# A demo member's username and email; a real member may hold either (both are unique).
DEMO_NAME = re.compile(r"demo(\d+)(@example\.org)?\Z")


def last_demo_number() -> int:
    """The highest N among `demoN` usernames and `demoN@example.org` emails, or 0."""
    query = sa.select(User.username_key, User.email).where(
        sa.or_(User.username_key.startswith("demo"), User.email.startswith("demo"))
    )
    values = (value for row in db.session.execute(query) for value in row)
    return max((int(match[1]) for value in values if (match := DEMO_NAME.match(value))), default=0)


def seed_users(count: int, rng: random.Random, now: datetime) -> list[int]:
    """Add members `demo(N+1)`… after the highest existing `demoN`; return their ids only.

    They share one password hash (hashing each would dominate).
    """
    if not count:
        return []
    template = User(username="demo", email="demo@example.org", password=DEMO_PASSWORD)
    first = last_demo_number() + 1
    rows = [
        {
            "username": f"demo{n}",
            "username_key": f"demo{n}",
            "email": f"demo{n}@example.org",
            "password_hash": template.password_hash,
            "is_admin": False,
            "session_version": 1,
            "created_at": now - timedelta(days=rng.randint(0, 400)),
        }
        for n in range(first, first + count)
    ]
    return list(db.session.scalars(sa.insert(User).returning(User.id), rows))


def feedback_rows(count: int, rng: random.Random, now: datetime, user_ids: list[int]):
    at = spread(count, now)
    statuses, weights = list(STATUS_WEIGHTS), list(STATUS_WEIGHTS.values())
    for i in range(count):
        signed_in = user_ids and rng.random() < 0.1
        status = rng.choices(statuses, weights)[0]
        # A few items draw many votes and comments; most draw none (counts fit the members).
        votes = min(int(rng.paretovariate(1.2)) - 1, len(user_ids)) if rng.random() < 0.2 else 0
        comments = (
            min(int(rng.paretovariate(1.5)) - 1, 60) if user_ids and rng.random() < 0.1 else 0
        )
        yield {
            "name": person(rng),
            "message": feedback_message(rng),
            "created_at": at(i),
            "author_id": rng.choice(user_ids) if signed_in else None,
            "hidden": rng.random() < 0.01,
            "status": status,
            "status_changed_at": None if status == "open" else min(now, at(i) + timedelta(days=3)),
            "vote_count": votes,
            "comment_count": comments,
        }


def seeded_items(first_id: int) -> list[sa.Row]:
    """(id, created_at, vote_count, comment_count) of the items stored after `first_id`."""
    return db.session.execute(
        sa.select(Feedback.id, Feedback.created_at, Feedback.vote_count, Feedback.comment_count)
        .where(Feedback.id > first_id)
        .order_by(Feedback.id)
    ).all()


def vote_rows(items: list[sa.Row], rng: random.Random, user_ids: list[int]):
    for item in items:
        for user_id in rng.sample(user_ids, item.vote_count):
            yield {"feedback_id": item.id, "user_id": user_id, "created_at": item.created_at}


def comment_rows(items: list[sa.Row], rng: random.Random, user_ids: list[int], now: datetime):
    for item in items:
        for n in range(item.comment_count):
            at = min(now, item.created_at + timedelta(hours=n + 1))
            yield {
                "feedback_id": item.id,
                "author_id": rng.choice(user_ids),
                "body": rng.choice(COMMENTS),
                "created_at": at,
                "updated_at": at,
            }


def demo_tags() -> list[int]:
    """The ids of the demo tags, added where missing."""
    existing = set(db.session.scalars(sa.select(Tag.name).where(Tag.name.in_(DEMO_TAGS))))
    db.session.add_all(Tag(name=name) for name in DEMO_TAGS if name not in existing)
    db.session.flush()
    return list(db.session.scalars(sa.select(Tag.id).where(Tag.name.in_(DEMO_TAGS))))


def tag_rows(items: list[sa.Row], rng: random.Random, tag_ids: list[int]):
    for item in items:
        if rng.random() < 0.1:
            for tag_id in rng.sample(tag_ids, rng.randint(1, 2)):
                yield {"feedback_id": item.id, "tag_id": tag_id}


def note_rows(count: int, rng: random.Random, now: datetime, user_ids: list[int]):
    at = spread(count, now)
    for i in range(count):
        yield {
            "title": f"{rng.choice(NOTE_TOPICS)} #{i + 1}",
            "content": note_content(rng),
            "visibility": "public" if rng.random() < 0.7 else "private",
            "created_at": at(i),
            "updated_at": at(i),
            "author_id": rng.choice(user_ids),
            "hidden": rng.random() < 0.01,
        }


def chunks(rows: Iterator[dict], size: int = CHUNK) -> Iterator[list[dict]]:
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def insert_rows(model, rows: Iterator[dict], progress: Callable[[int], None]) -> None:
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        copy_rows(connection, model.__table__, rows, progress)
        return
    for chunk in chunks(rows):
        connection.execute(model.__table__.insert(), chunk)
        progress(len(chunk))


def copy_rows(connection, table: sa.Table, rows: Iterator[dict], progress) -> None:
    """PostgreSQL's COPY: several times faster than INSERTs for bulk loads."""
    with connection.connection.driver_connection.cursor() as cursor:
        for chunk in chunks(rows):
            columns = list(chunk[0])
            with cursor.copy(f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in chunk:
                    copy.write_row([row[column] for column in columns])
            progress(len(chunk))


def uncounted(rows: int) -> None:
    """The progress bar counts feedback and notes only."""


def seed(
    *,
    feedback: int,
    notes: int,
    users: int,
    random_seed: int,
    progress: Callable[[int], None],
    now: datetime | None = None,
) -> None:
    """Add `users` members, `feedback` items and `notes` notes; the caller commits.

    Feedback and notes belong only to the members added here, never to existing ones:
    without new members feedback is anonymous and notes are refused (ValueError).
    `progress(n)` is told each time n more rows are stored.
    """
    rng = random.Random(random_seed)
    now = now or datetime.now(UTC)
    if notes and not users:
        raise ValueError("notes need at least one member: pass --users")
    user_ids = seed_users(users, rng, now)
    first_id = db.session.scalar(sa.select(sa.func.coalesce(sa.func.max(Feedback.id), 0)))
    insert_rows(Feedback, feedback_rows(feedback, rng, now, user_ids), progress)
    items = seeded_items(first_id)
    engaged = [item for item in items if item.vote_count or item.comment_count]
    insert_rows(Vote, vote_rows(engaged, rng, user_ids), uncounted)
    insert_rows(Comment, comment_rows(engaged, rng, user_ids, now), uncounted)
    if items:
        tag_ids = demo_tags()
        insert_rows(FeedbackTag, tag_rows(items, rng, tag_ids), uncounted)
        carrying = sa.select(sa.func.count()).where(FeedbackTag.tag_id == Tag.id)
        db.session.execute(
            sa.update(Tag)
            .where(Tag.id.in_(tag_ids))
            .values(item_count=carrying.correlate(Tag).scalar_subquery())
        )
    insert_rows(Note, note_rows(notes, rng, now, user_ids), progress)
