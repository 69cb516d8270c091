"""Voting in the browser: in place with the script, and as a plain form without it."""

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.e2e import log_in
from tests.factories import make_feedback, make_user

pytestmark = pytest.mark.e2e


@pytest.fixture
def item(server):
    with server.app.app_context():
        make_user(username="alice", email="alice@example.org", password=PASSWORD)
        return make_feedback(message="Please add a dark mode").id


def test_vote_updates_in_place_keeping_focus_and_announcing_the_count(server, page, item):
    log_in(page, "alice")
    page.goto(f"/feedback/{item}")
    url = page.url
    button = page.get_by_role("button", name="Vote for this")
    count = page.locator(".vote-count")
    expect(count).to_have_attribute("aria-live", "polite")  # read out when it changes
    expect(count).to_have_text("0 votes")

    button.focus()
    page.keyboard.press("Enter")
    expect(count).to_have_text("1 vote")
    withdraw = page.get_by_role("button", name="Withdraw my vote")
    expect(withdraw).to_have_attribute("aria-pressed", "true")
    expect(withdraw).to_be_focused()
    assert page.url == url  # no page load: the script sent it

    page.keyboard.press("Enter")
    expect(count).to_have_text("0 votes")
    expect(page.get_by_role("button", name="Vote for this")).to_be_focused()

    page.reload()  # what the server stored
    expect(count).to_have_text("0 votes")


def test_vote_works_without_javascript(server, open_context, item):
    page = open_context(java_script_enabled=False).new_page()
    log_in(page, "alice")
    page.goto(f"/feedback/{item}")
    page.get_by_role("button", name="Vote for this").click()
    expect(page.get_by_role("status")).to_have_text("Your vote is counted.")
    expect(page.locator(".vote-count")).to_have_text("1 vote")
    expect(page.get_by_role("button", name="Withdraw my vote")).to_be_visible()


def test_anonymous_visitor_logs_in_and_comes_back_to_vote(server, page, item):
    page.goto(f"/feedback/{item}")
    page.get_by_role("button", name="Vote for this").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in")
    page.get_by_label("Username or email").fill("alice")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(f"{server.url}/feedback/{item}")
    page.get_by_role("button", name="Vote for this").click()
    expect(page.locator(".vote-count")).to_have_text("1 vote")
