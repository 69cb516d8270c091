"""A member follows an item the team answered: status, response, a comment, the roadmap."""

import pytest
from playwright.sync_api import expect

from app.extensions import db
from tests.conftest import PASSWORD
from tests.e2e import log_in
from tests.factories import make_feedback, make_user

pytestmark = pytest.mark.e2e


def test_member_sees_the_teams_answer_comments_and_finds_it_on_the_roadmap(server, page):
    with server.app.app_context():
        make_user(username="alice", email="alice@example.org", password=PASSWORD)
        boss = make_user(username="boss", email="boss@example.org", is_admin=True)
        item = make_feedback(name="Ada", message="Export to CSV, please")
        item.set_status("planned", "Coming in **May**.", by=boss)
        db.session.commit()
        path = f"/feedback/{item.id}"

    log_in(page, "alice")
    page.goto(path)
    expect(page.locator(".card-meta .status")).to_have_text("Planned")
    response = page.get_by_role("region", name="The team's response")
    expect(response.locator("strong")).to_have_text("May")

    page.get_by_label("Your comment").fill("This would save me an hour a week.")
    page.get_by_role("button", name="Post comment").click()
    expect(page.locator(".flash-success")).to_have_text("Your comment is posted.")
    assert "#comment-" in page.url
    expect(page.locator(".comment").last).to_contain_text("This would save me an hour a week.")
    expect(page.get_by_role("heading", name="1 comment")).to_be_visible()

    page.get_by_role("link", name="Roadmap").click()
    planned = page.get_by_role("region", name="Planned")
    expect(planned).to_contain_text("Export to CSV, please")
    expect(planned).to_contain_text("1 comment")
    expect(page.get_by_role("region", name="Done")).to_contain_text("Nothing done yet.")
