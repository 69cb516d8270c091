"""Script in what people write stays text: notes' Markdown, titles, feedback, everywhere shown.

Every payload would call alert() (a dialog) or set window.__xss. The pages are checked with
the Content-Security-Policy on, and with it bypassed, so the sanitiser alone must hold.
"""

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.e2e import log_in
from tests.factories import make_feedback, make_note, make_user

pytestmark = pytest.mark.e2e

MARKDOWN = """\
Some **real** Markdown first, then the payloads.

[click me](javascript:alert('link'))

[mixed case](JaVaScRiPt:window.__xss='mixed-case')

[entity](&#106;avascript:window.__xss='entity')

[reference][evil]

[evil]: javascript:alert('reference')

[data url](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)

<javascript:alert('autolink')>

![image](javascript:alert('image'))

<img src=x onerror="window.__xss='img';alert('img')">

<svg onload="window.__xss='svg';alert('svg')">

<script>window.__xss='script';alert('script')</script>

<a href="javascript:alert('raw')">raw link</a>

<iframe src="javascript:alert('iframe')"></iframe>

<details open ontoggle="window.__xss='details'">toggle</details>
"""
TITLE = "<script>window.__xss='title'</script>Payloads"
FEEDBACK_NAME = "<img src=x onerror=\"window.__xss='name'\">"
FEEDBACK_MESSAGE = "<svg onload=alert('feedback')> and [x](javascript:alert('feedback'))"

# Anything the page can run or load beyond its own script: elements, handlers, URLs.
INJECTED = """() => {
  const found = [];
  for (const el of document.querySelectorAll("body *")) {
    if (["SCRIPT", "IFRAME", "OBJECT", "EMBED", "SVG", "svg", "DETAILS"].includes(el.tagName)
        && !(el.tagName === "SCRIPT" && el.src.endsWith("/static/corkboard.js"))
        && !el.classList.contains("cheatsheet")) {
      found.push(el.outerHTML.slice(0, 80));
    }
    for (const attribute of el.attributes) {
      if (attribute.name.startsWith("on")) found.push(`${el.tagName} ${attribute.name}`);
    }
  }
  for (const link of document.querySelectorAll("a[href]")) {
    if (!["http:", "https:", "mailto:"].includes(link.protocol)) found.push(link.href);
  }
  for (const image of document.querySelectorAll("img[src]")) {
    if (!["http:", "https:"].includes(new URL(image.src).protocol)) found.push(image.src);
  }
  return found;
}"""


@pytest.fixture
def payloads(server):
    """A public note and a feedback item full of payloads; returns the pages showing them."""
    with server.app.app_context():
        author = make_user(username="mallory", email="mallory@example.org", password=PASSWORD)
        make_user(username="boss", email="boss@example.org", password=PASSWORD, is_admin=True)
        note = make_note(author, title=TITLE, content=MARKDOWN, visibility="public")
        item = make_feedback(name=FEEDBACK_NAME, message=FEEDBACK_MESSAGE)
        return {
            "note": f"/notes/{note.id}",
            "feedback": f"/feedback/{item.id}",
            "lists": ["/", "/notes/", "/feedback/", "/notes/mine"],
            # Search results show excerpts with the matched words highlighted.
            "searches": ["/feedback/?q=svg+onload", "/notes/?q=onerror", "/notes/?q=script"],
        }


@pytest.mark.parametrize("bypass_csp", [False, True], ids=["with-csp", "without-csp"])
def test_payloads_render_as_inert_text(server, open_context, payloads, bypass_csp):
    dialogs = []
    page = open_context(bypass_csp=bypass_csp).new_page()
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    def expect_inert(path: str) -> None:
        page.goto(path)
        expect(page.locator("main")).to_be_visible()
        assert page.evaluate("typeof window.__xss") == "undefined", path
        assert page.evaluate(INJECTED) == [], path
        assert dialogs == [], path

    # The note: every payload is shown as the text that was typed.
    expect_inert(payloads["note"])
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    markdown = page.locator(".markdown")
    expect(markdown.locator("strong")).to_have_text("real")
    for text in (
        "[click me](javascript:alert('link'))",
        "<img src=x onerror=\"window.__xss='img';alert('img')\">",
        "<svg onload=\"window.__xss='svg';alert('svg')\">",
        "<script>window.__xss='script';alert('script')</script>",
        "<a href=\"javascript:alert('raw')\">raw link</a>",
    ):
        expect(markdown).to_contain_text(text)

    # None of it became a link; clicking the text goes nowhere and runs nothing.
    for label in ("click me", "mixed case", "entity", "reference", "data url", "raw link"):
        expect(markdown.get_by_role("link", name=label)).to_have_count(0)
    markdown.get_by_text("click me").click()
    markdown.get_by_text("raw link").click()
    page.wait_for_timeout(200)  # long enough for a navigation or a dialog to start
    assert page.url == f"{server.url}{payloads['note']}"
    assert dialogs == []
    assert page.evaluate("typeof window.__xss") == "undefined"

    for path in payloads["searches"]:
        expect_inert(path)
        expect(page.locator("article.card mark").first).to_be_visible()
        expect(page.locator("article.card")).to_have_count(1)

    expect_inert(payloads["feedback"])
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Feedback from {FEEDBACK_NAME}")
    expect(page.locator(".message")).to_have_text(FEEDBACK_MESSAGE)

    # Every list that shows them, the author's own and the moderators' included.
    log_in(page, "mallory")
    for path in payloads["lists"]:
        expect_inert(path)
    page.context.clear_cookies()
    log_in(page, "boss")
    expect_inert("/admin/?tab=all")
    expect(page.get_by_role("table")).to_contain_text(FEEDBACK_MESSAGE)
    expect_inert("/admin/notes")
    expect(page.get_by_role("table")).to_contain_text(TITLE)


def test_note_written_through_the_form_renders_inert(server, page):
    """The same payloads typed into the note form by a member, as an attacker would."""
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    with server.app.app_context():
        make_user(username="mallory", email="mallory@example.org", password=PASSWORD)
    log_in(page, "mallory")
    page.goto("/notes/new")
    page.get_by_label("Title", exact=True).fill(TITLE)
    page.get_by_label("Content", exact=True).fill(MARKDOWN)
    page.get_by_label("Everyone").check()
    page.get_by_role("button", name="Save note").click()
    expect(page.get_by_role("status")).to_have_text("Your note is saved.")
    expect(page.locator(".markdown")).to_contain_text("<script>window.__xss='script'")
    assert page.evaluate(INJECTED) == []
    assert page.evaluate("typeof window.__xss") == "undefined"

    # Editing shows the Markdown back in the form as text, not as markup.
    page.get_by_role("link", name="Edit").click()
    expect(page.get_by_label("Content", exact=True)).to_have_value(MARKDOWN.strip())
    expect(page.get_by_label("Title", exact=True)).to_have_value(TITLE)
    assert page.evaluate(INJECTED) == []
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert dialogs == []
