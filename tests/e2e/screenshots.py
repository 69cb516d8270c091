"""Screenshots of Corkboard's key pages, light and dark, on a phone and a desktop screen.

Run from the project root:

    .venv/bin/python -m tests.e2e.screenshots [--output docs/screenshots]

It serves the app as the browser tests do (a real server on 127.0.0.1, a throwaway SQLite
database built by the migrations), fills it with demo content, and writes one PNG per page,
width and colour scheme, named like `home-1280-light.png`. It needs Chromium at
/usr/bin/chromium.
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from playwright.sync_api import Page, sync_playwright

from app.extensions import db
from app.models import Comment, Feedback, Note, Tag, User, Vote
from tests.e2e import (
    CHROMIUM,
    NO_CHROMIUM,
    LiveServer,
    confine,
    launch_options,
    live_server,
    log_in,
    migrate,
)

ROOT = Path(__file__).resolve().parents[2]
WIDTHS = (360, 1280)
SCHEMES = ("light", "dark")
HEIGHT = {360: 780, 1280: 900}
DEMO_PASSWORD = "demo password"

FEEDBACK = [
    ("Amara Okafor", "Love how quick this is to load, even on the train's wifi.", 3),
    (
        "Jonas Weber",
        "Could the notes list show when a note was last edited? I keep a few long-running "
        "ones and it would help to see which changed.",
        9,
    ),
    ("Li Wei", "Dark mode looks great. The orange links are easy to spot.", 26),
    ("Sofía Ramírez", "Found a typo on the about page: “recieve”.\nThanks for the board!", 50),
    ("Tom", "Buy cheap watches at totally-legit.example", 70),  # hidden by a moderator
    ("A visitor", "Could the board send a weekly summary of new feedback?", 95),  # pending
    ("Priya N.", "Keyboard navigation works nicely — the skip link is a good touch.", 190),
]

READING_LIST = """\
A few books for the long evenings, roughly in the order I want to read them.

## Fiction

1. **The Left Hand of Darkness** — Ursula K. Le Guin
2. *Piranesi* — Susanna Clarke
3. The Remains of the Day — Kazuo Ishiguro

## Non-fiction

- *The Design of Everyday Things*, for the third time
- A history of the printing press (suggestions welcome)

> A reader lives a thousand lives before he dies.

Library hours are on [the city's site](https://example.org/library).
"""

SOURDOUGH = """\
Feeding the starter **twice a day** at room temperature.

| Day | Flour | Water | Rise |
| --- | ----- | ----- | ---- |
| 1   | 50 g  | 50 g  | none |
| 3   | 50 g  | 50 g  | ×1.5 |
| 5   | 50 g  | 45 g  | ×2   |

Timer for the next feed:

```
at 19:30 — discard half, feed 1:1:1
```

Next: try a `75%` hydration loaf on Saturday.
"""


def seed_demo(server: LiveServer) -> dict:
    """Demo content: feedback (one item hidden, one waiting for approval), public and
    private notes, an admin."""
    now = datetime.now(UTC)
    with server.app.app_context():
        amara = User(username="amara", email="amara@example.org", password=DEMO_PASSWORD)
        jonas = User(username="jonas", email="jonas@example.org", password=DEMO_PASSWORD)
        admin = User(
            username="moderator",
            email="moderator@example.org",
            password=DEMO_PASSWORD,
            is_admin=True,
        )
        db.session.add_all([amara, jonas, admin])
        db.session.flush()
        db.session.add_all(
            Feedback(
                name=name,
                message=message,
                created_at=now - timedelta(minutes=minutes),
                hidden=name in ("Tom", "A visitor"),
                pending=name == "A visitor",
            )
            for name, message, minutes in FEEDBACK
        )
        notes = {
            "reading": Note(
                author_id=amara.id,
                title="Reading list for winter",
                content=READING_LIST,
                visibility="public",
                created_at=now - timedelta(hours=5),
                updated_at=now - timedelta(hours=2),
            ),
            "sourdough": Note(
                author_id=jonas.id,
                title="Sourdough starter log",
                content=SOURDOUGH,
                visibility="public",
                created_at=now - timedelta(days=1, hours=3),
                updated_at=now - timedelta(days=1, hours=3),
            ),
            "gifts": Note(
                author_id=amara.id,
                title="Gift ideas",
                content="- a good fountain pen for Dad\n- *Piranesi* for Sam",
                visibility="private",
                created_at=now - timedelta(days=2),
                updated_at=now - timedelta(days=2),
            ),
        }
        db.session.add_all(notes.values())
        db.session.commit()
        # The portal: a planned item with votes, a comment and a tag, one in progress.
        by_name = {item.name: item for item in db.session.scalars(sa.select(Feedback))}
        planned, building = by_name["Jonas Weber"], by_name["Sofía Ramírez"]
        for member in (amara, jonas, admin):
            Vote.cast(planned.id, member.id, wanted=True)
        Vote.cast(building.id, amara.id, wanted=True)
        planned.set_status("planned", "Yes: notes will show **when they were edited**.", by=admin)
        building.set_status("in_progress", None, by=admin)
        Comment.post(planned.id, amara.id, "Same here, I would use that every day.")
        Comment.post(planned.id, admin.id, "Thanks both, it is on the roadmap now.")
        db.session.add(Tag(name="Notes"))
        db.session.flush()
        planned.set_tags({db.session.scalar(sa.select(Tag.id))})
        db.session.commit()
        return {name: note.id for name, note in notes.items()} | {"planned": planned.id}


def visit(path: str) -> Callable[[Page], None]:
    return lambda page: page.goto(path)


def feedback_with_errors(page: Page) -> None:
    page.goto("/feedback/new")
    page.get_by_label("Message", exact=True).fill("The search box is hard to find on my phone")
    page.get_by_role("button", name="Post feedback").click()
    page.wait_for_load_state()


def shots(ids: dict) -> list[tuple[str, str | None, Callable[[Page], None]]]:
    """(file name, who is signed in, how to get there), in the order they are taken."""
    return [
        ("home", None, visit("/")),
        ("feedback-list", None, visit("/feedback/")),
        ("roadmap", None, visit("/roadmap")),
        ("feedback-form-errors", None, feedback_with_errors),
        ("404", None, visit("/no/such/page")),
        ("feedback-detail", "amara", visit(f"/feedback/{ids['planned']}")),
        ("note-detail", "amara", visit(f"/notes/{ids['reading']}")),
        ("note-form", "amara", visit(f"/notes/{ids['reading']}/edit")),
        ("admin", "moderator", visit("/admin/?tab=all")),
    ]


def take_screenshots(server: LiveServer, ids: dict, output: Path) -> list[Path]:
    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(**launch_options())
        for scheme in SCHEMES:
            for width in WIDTHS:
                context = browser.new_context(
                    base_url=server.url,
                    color_scheme=scheme,
                    viewport={"width": width, "height": HEIGHT[width]},
                    reduced_motion="reduce",
                )
                confine(context, server)
                page = context.new_page()
                signed_in = None
                for name, who, action in shots(ids):
                    if who != signed_in:
                        context.clear_cookies()
                        if who:
                            log_in(page, who, DEMO_PASSWORD)
                        signed_in = who
                    action(page)
                    path = output / f"{name}-{width}-{scheme}.png"
                    page.screenshot(path=path, full_page=True)
                    written.append(path)
                context.close()
        browser.close()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--output",
        type=Path,
        default=ROOT / "docs" / "screenshots",
        help="folder for the PNGs (default: docs/screenshots)",
    )
    args = parser.parse_args(argv)
    if not CHROMIUM.exists():
        print(NO_CHROMIUM, file=sys.stderr)
        return 1
    args.output.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="corkboard-screenshots-") as tmp:
        database = migrate(Path(tmp) / "demo.db")
        with live_server(database) as server:
            logging.getLogger("corkboard").setLevel(logging.WARNING)  # no line per request
            ids = seed_demo(server)
            written = take_screenshots(server, ids, args.output)
    for path in written:
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
