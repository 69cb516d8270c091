"""axe-core on every page template, light and dark, on a phone and a desktop screen.

One browser context per width walks all the pages: those anyone sees, then a member's,
then an admin's. Each page is loaded once and checked in the light scheme and in the dark
one (switching `prefers-color-scheme` re-styles the page without reloading it, which
halves the time). Serious and critical violations fail the test, listed with the page,
scheme, width, rule and the elements concerned.
"""

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from axe_playwright_python.base import AXE_SCRIPT
from playwright.sync_api import expect

from app.extensions import db
from app.models import User
from tests.conftest import PASSWORD
from tests.e2e import copy_database, live_server, log_in
from tests.factories import make_feedback, make_note, make_user

pytestmark = pytest.mark.e2e

FAILING_IMPACTS = {"serious", "critical"}
AXE_RUN = "axe.run(document, {resultTypes: ['violations']}).then((results) => results.violations)"
HEIGHT = 800
SCHEMES = ("light", "dark")

RICH_MARKDOWN = """\
# Trip notes

Packed **light** this time, _mostly_. See [the route](https://example.org/route).

## Checklist

1. Tickets
2. Charger
   - the long cable

> Travel is the only thing you buy that makes you richer.

| Day | Where   |
| --- | ------- |
| 1   | Lyon    |
| 2   | Geneva  |

Inline `code` and a block:

```
rsync -av photos/ backup/
```
"""


@pytest.fixture(scope="module")
def server(e2e_schema, tmp_path_factory):
    """One server for the module: the pages only read (form errors store nothing)."""
    database = copy_database(e2e_schema, tmp_path_factory.mktemp("a11y") / "corkboard.db")
    with live_server(database) as running:
        yield running


@pytest.fixture(scope="module")
def content(server):
    """Something on every page: enough feedback for two pages, notes of each kind, and
    hidden items for the moderation page. Returns the ids the pages need."""
    now = datetime.now(UTC)
    with server.app.app_context():
        alice = make_user(username="alice", email="alice@example.org", password=PASSWORD)
        make_user(username="boss", email="boss@example.org", password=PASSWORD, is_admin=True)
        for minutes in range(24, 0, -1):
            make_feedback(created_at=now - timedelta(days=2, minutes=minutes))
        make_feedback(name="Spammer", message="Buy cheap watches", hidden=True)
        feedback = make_feedback(
            name="Renée Ødegaard",
            message="Lovely board!\n\nOne wish: a dark theme.\nOh wait, there is one.",
            vote_count=2,
        )
        for status in ("under_review", "planned", "in_progress", "done", "declined"):
            make_feedback(message=f"An item {status}", status=status, status_changed_at=now)
        admin = db.session.scalar(sa.select(User).where(User.username == "boss"))
        feedback.set_status("planned", "Thanks! We **will** do it.", by=admin)
        db.session.commit()
        public = make_note(alice, title="Trip notes", content=RICH_MARKDOWN, visibility="public")
        private = make_note(
            alice, title="Gift ideas", content="- a *good* pen", visibility="private"
        )
        make_note(alice, title="Hidden by moderators", content="Off topic.", hidden=True)
        return {"feedback": feedback.id, "public": public.id, "private": private.id}


def submit(path: str, button: str, fields: dict | None = None):
    """Open the form at `path`, fill `fields` (label: value) and send it."""

    def action(page):
        page.goto(path)
        for label, value in (fields or {}).items():
            page.get_by_label(label, exact=True).fill(value)
        with page.expect_response(lambda response: response.request.method == "POST") as sent:
            page.get_by_role("button", name=button).click()
        page.wait_for_load_state()
        return sent.value

    return action


def visit(path: str):
    return lambda page: page.goto(path)


def pages(ids: dict) -> dict:
    """Who sees which page: {visitor: [(page name, action, status, heading), …]}.

    The visitor is None (anonymous) or the username to log in as.
    """
    feedback, public, private = ids["feedback"], ids["public"], ids["private"]
    return {
        None: [
            ("home", visit("/"), 200, "Welcome to Corkboard"),
            ("feedback list", visit("/feedback/"), 200, "Feedback"),
            ("feedback detail", visit(f"/feedback/{feedback}"), 200, "Feedback from Renée"),
            ("feedback form", visit("/feedback/new"), 200, "Leave feedback"),
            (
                "feedback form with errors",
                submit("/feedback/new", "Post feedback", {"Message": "x" * 5001}),
                422,
                "Leave feedback",
            ),
            ("feedback search", visit("/feedback/?q=wish"), 200, "Feedback matching"),
            ("roadmap", visit("/roadmap"), 200, "Roadmap"),
            ("notes list", visit("/notes/"), 200, "Public notes"),
            ("notes search, no match", visit("/notes/?q=zebra"), 200, "Notes matching"),
            ("note detail", visit(f"/notes/{public}"), 200, "Trip notes"),
            ("register", visit("/auth/register"), 200, "Create an account"),
            (
                "register with errors",
                submit("/auth/register", "Create account", {"Email": "nope"}),
                422,
                "Create an account",
            ),
            ("login", visit("/auth/login"), 200, "Log in"),
            (
                "login with error",
                submit(
                    "/auth/login",
                    "Log in",
                    {"Username or email": "alice", "Password": "wrong password"},
                ),
                422,
                "Log in",
            ),
            ("404", visit("/no/such/page"), 404, "Page not found"),
            ("405", visit("/auth/logout"), 405, "Method not allowed"),
        ],
        "alice": [
            ("my notes", visit("/notes/mine"), 200, "My notes"),
            ("note detail, own", visit(f"/notes/{private}"), 200, "Gift ideas"),
            ("note form", visit("/notes/new"), 200, "New note"),
            ("note form with errors", submit("/notes/new", "Save note"), 422, "New note"),
            ("note edit form", visit(f"/notes/{public}/edit"), 200, "Edit note"),
            ("403", visit("/admin/"), 403, "Not allowed"),
        ],
        "boss": [
            ("admin", visit("/admin/"), 200, "Moderation"),
            ("admin notes", visit("/admin/notes?tab=hidden"), 200, "Moderation"),
            ("feedback detail, admin", visit(f"/feedback/{feedback}"), 200, "Feedback from"),
        ],
    }


def describe(violation: dict) -> str:
    targets = ", ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
    more = len(violation["nodes"]) - 5
    return f"{violation['id']} [{violation['impact']}] {violation['help']}: {targets}" + (
        f" (+{more} more)" if more > 0 else ""
    )


@pytest.mark.parametrize("width", [360, 1280])
def test_pages_have_no_serious_accessibility_violations(server, content, open_context, width):
    """Each page is loaded once per width and checked in both colour schemes."""
    context = open_context(viewport={"width": width, "height": HEIGHT})
    # Loaded by the browser into every page, rather than sent over with each one.
    context.add_init_script(AXE_SCRIPT)
    page = context.new_page()
    failures = []
    checked = 0
    for visitor, visits in pages(content).items():
        context.clear_cookies()
        if visitor:
            log_in(page, visitor)
        for name, action, status, heading in visits:
            response = action(page)
            assert response.status == status, f"{name}: {page.url} answered {response.status}"
            expect(page.get_by_role("heading", level=1).first).to_contain_text(heading)
            for scheme in SCHEMES:
                page.emulate_media(color_scheme=scheme)
                assert page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches") == (
                    scheme == "dark"
                )
                violations = page.evaluate(AXE_RUN)
                checked += 1
                failures += [
                    f"{name} ({page.url}, {scheme}, {width} px): {describe(violation)}"
                    for violation in violations
                    if violation["impact"] in FAILING_IMPACTS
                ]
    assert checked == 25 * len(SCHEMES)
    assert not failures, "axe found serious or critical violations:\n" + "\n".join(failures)
