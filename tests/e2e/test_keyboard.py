"""Keyboard only: from the home page to posted feedback with Tab, typing and Enter.

Every element Tab lands on must show where the focus is.
"""

import pytest
from playwright.sync_api import expect

from tests.factories import make_feedback, make_note, make_user

pytestmark = pytest.mark.e2e

FOCUSED = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  return {
    tag: el.tagName.toLowerCase(),
    name: el.getAttribute("name"),
    text: (el.innerText || el.value || "").trim(),
    outlineStyle: style.outlineStyle,
    outlineWidth: parseFloat(style.outlineWidth),
    onScreen: box.width > 0 && box.height > 0 && box.right > 0 && box.bottom > 0
      && box.left < innerWidth && box.top < innerHeight,
  };
}"""


def press_tab(page) -> dict:
    """Tab to the next element; it must be on screen and wear a visible focus outline."""
    page.keyboard.press("Tab")
    focused = page.evaluate(FOCUSED)
    assert focused["tag"] != "body", "Tab left the page"
    assert focused["outlineStyle"] != "none" and focused["outlineWidth"] > 0, (
        f"no visible focus indicator on {focused}"
    )
    assert focused["onScreen"], f"the focused element is off screen: {focused}"
    return focused


def tab_to(page, matches, limit: int = 20) -> dict:
    """Press Tab until the focused element `matches`; each stop must show its focus."""
    passed = []
    for _ in range(limit):
        focused = press_tab(page)
        if matches(focused):
            return focused
        passed.append(f"{focused['tag']} {focused['text'] or focused['name']}")
    raise AssertionError(f"not reached with {limit} presses of Tab; passed {passed}")


def test_visitor_leaves_feedback_with_the_keyboard_only(server, page):
    page.goto("/")

    # The first stop is the skip link, shown when focused; it jumps past the navigation.
    skip = press_tab(page)
    assert skip["text"] == "Skip to content"
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{server.url}/#main")
    hero = press_tab(page)
    assert (hero["tag"], hero["text"]) == ("a", "Leave feedback")
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{server.url}/feedback/new")

    # Through the header to the form, typing into each field in turn.
    tab_to(page, lambda focused: focused["name"] == "name")
    page.keyboard.type("Kim Keyboard")
    assert press_tab(page)["name"] == "message"
    page.keyboard.type("Sent without touching the mouse.")
    # The spam trap is out of the tab order; the next stop is the button.
    submit = press_tab(page)
    assert (submit["tag"], submit["text"]) == ("input", "Post feedback")
    page.keyboard.press("Enter")

    expect(page.locator(".flash-success")).to_have_text("Thank you, your feedback is posted.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Feedback from Kim Keyboard")
    expect(page.locator(".message")).to_have_text("Sent without touching the mouse.")


def test_every_stop_on_the_home_page_shows_its_focus(server, page):
    """Tab through every link and control of the home page: header, search, content."""
    with server.app.app_context():
        make_feedback()
        make_note(make_user(), visibility="public")
    page.goto("/")
    controls = page.locator("a[href], button, input:not([type=hidden]), select, textarea")
    stops = [press_tab(page) for _ in range(controls.count())]
    assert stops[0]["text"] == "Skip to content"
    assert {"input", "select", "button"} <= {stop["tag"] for stop in stops}
    texts = [stop["text"] for stop in stops]
    assert "Leave feedback" in texts and "All notes →" in texts
