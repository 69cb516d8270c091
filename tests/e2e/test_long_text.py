"""Long unbroken text (a name, a URL, a title without spaces) wraps inside the page.

Without wrapping, one 80-character name widened the moderators' table to 1,282 px and
pushed cards past the edge of a phone's screen.
"""

import pytest

from tests.conftest import PASSWORD
from tests.e2e import log_in
from tests.factories import make_feedback, make_note, make_user

pytestmark = pytest.mark.e2e

NAME = "N" * 80
WORD = "W" * 400
TITLE = "T" * 120
USERNAME = "u" * 32

# Elements that reach past the right edge of the window, and how wide the document is.
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const over = [];
  for (const el of document.querySelectorAll("body *")) {
    const box = el.getBoundingClientRect();
    if (box.width > 0 && box.right > width + 1) {
      over.push(`${el.tagName}.${el.className} right=${Math.round(box.right)}`);
    }
  }
  return {scrollWidth: document.documentElement.scrollWidth, width, over: over.slice(0, 5)};
}"""


@pytest.fixture
def long_text(server):
    with server.app.app_context():
        author = make_user(username=USERNAME, email="long@example.org", password=PASSWORD)
        make_user(username="boss", email="boss@example.org", password=PASSWORD, is_admin=True)
        note = make_note(author, title=TITLE, content=f"{WORD}\n\n# {WORD}", visibility="public")
        item = make_feedback(name=NAME, message=WORD)
        return [
            "/",
            "/feedback/",
            f"/feedback/{item.id}",
            f"/feedback/?q={WORD}",
            "/notes/",
            f"/notes/{note.id}",
            f"/notes/?q={TITLE}",
            "/admin/?tab=all",
            "/admin/?tab=published-notes",
        ]


@pytest.mark.parametrize("width", [360, 1280])
def test_long_unbroken_text_wraps_within_the_window(open_context, long_text, width):
    page = open_context(viewport={"width": width, "height": 800}).new_page()
    log_in(page, "boss")
    for path in long_text:
        page.goto(path)
        layout = page.evaluate(OVERFLOW)
        assert layout["over"] == [], path
        assert layout["scrollWidth"] <= layout["width"], path
