"""A visitor leaves feedback, pages through the list, and corrects a form the server refused."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.models import Feedback

pytestmark = pytest.mark.e2e

POSTED = "Thank you, your feedback is posted."


def seed_feedback(server, total: int) -> None:
    """`total` items a minute apart, the newest a minute old: item i says `Item i`."""
    now = datetime.now(UTC)
    with server.app.app_context():
        db.session.add_all(
            Feedback(
                name=f"Visitor {i}",
                message=f"Item {i}",
                created_at=now - timedelta(minutes=total - i),
            )
            for i in range(total)
        )
        db.session.commit()


def items(*numbers) -> list[str]:
    return [f"Item {n}" for n in numbers]


def test_visitor_leaves_feedback_and_pages_through_the_list(server, page):
    seed_feedback(server, 44)

    page.goto("/")
    page.get_by_role("link", name="Leave feedback", exact=True).click()
    expect(page).to_have_url(f"{server.url}/feedback/new")
    page.get_by_label("Your name", exact=True).fill("Ada Lovelace")
    page.get_by_label("Message", exact=True).fill("The board works in my browser.")
    page.get_by_role("button", name="Post feedback").click()

    expect(page.locator(".flash-success")).to_have_text(POSTED)
    expect(page.get_by_role("heading", level=1)).to_have_text("Feedback from Ada Lovelace")
    expect(page.locator(".message")).to_have_text("The board works in my browser.")

    # 45 items, 20 a page, newest (the one just posted) first.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Feedback").click()
    expect(page).to_have_url(f"{server.url}/feedback/")
    messages = page.locator("article.card .message")
    first_page = ["The board works in my browser.", *items(*range(43, 24, -1))]
    second_page = items(*range(24, 4, -1))
    expect(messages).to_have_text(first_page)
    expect(page.locator(".card .author").first).to_have_text("Ada Lovelace")
    pages = page.get_by_role("navigation", name="Pages")
    expect(pages.locator("[aria-current=page]")).to_have_text("1")
    expect(page.locator("a[rel=prev]")).to_have_count(0)

    # Older and newer step with cursors…
    page.locator("a[rel=next]").click()
    expect(page).to_have_url(re.compile(r"/feedback/\?after="))
    expect(messages).to_have_text(second_page)
    page.locator("a[rel=next]").click()
    expect(page).to_have_url(re.compile(r"/feedback/\?after="))
    expect(messages).to_have_text(items(4, 3, 2, 1, 0))
    expect(page.locator("a[rel=next]")).to_have_count(0)

    page.locator("a[rel=prev]").click()
    expect(page).to_have_url(re.compile(r"/feedback/\?before="))
    expect(messages).to_have_text(second_page)
    page.locator("a[rel=prev]").click()
    expect(messages).to_have_text(first_page)
    expect(page.locator("a[rel=prev]")).to_have_count(0)

    # …and the numbered pages, for bookmarks, agree with them.
    pages.get_by_role("link", name="2", exact=True).click()
    expect(page).to_have_url(f"{server.url}/feedback/?page=2")
    expect(page).to_have_title(re.compile("page 2"))
    expect(pages.locator("[aria-current=page]")).to_have_text("2")
    expect(messages).to_have_text(second_page)
    pages.get_by_role("link", name="1", exact=True).click()
    expect(page).to_have_url(f"{server.url}/feedback/")
    expect(messages).to_have_text(first_page)

    # The item links to its own page.
    page.locator("article.card").first.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Feedback from Ada Lovelace")


def post(page, button: str, path: str):
    """Click `button` and return the response to the form's POST to `path`."""
    with page.expect_response(
        lambda response: response.request.method == "POST" and response.url.endswith(path)
    ) as posted:
        page.get_by_role("button", name=button).click()
    return posted.value


def field_error(page, field):
    """The error message shown in the same form field block as `field`."""
    return page.locator(".field", has=field).locator(".error")


def test_invalid_feedback_shows_inline_errors_and_keeps_the_input(server, page):
    page.goto("/feedback/new")
    name = page.get_by_label("Your name", exact=True)
    message = page.get_by_label("Message", exact=True)
    too_long = "Lorem ipsum dolor sit amet. " * 178 + "x" * 17  # 5,001 characters
    assert len(too_long) == 5001

    name.fill("   ")
    message.fill(too_long)
    # The character counter warns before anything is sent.
    expect(page.locator(".counter")).to_have_text("5,001 / 5,000 characters")
    expect(page.locator(".counter")).to_have_class(re.compile("counter-over"))

    assert post(page, "Post feedback", "/feedback/new").status == 422
    expect(page.get_by_role("alert")).to_have_text("Please fix the highlighted fields below.")
    expect(field_error(page, name)).to_have_text("This field is required.")
    expect(name).to_have_attribute("aria-invalid", "true")
    expect(name).to_have_accessible_description("This field is required.")
    expect(field_error(page, message)).to_have_text("Field cannot be longer than 5000 characters.")
    expect(message).to_have_attribute("aria-invalid", "true")
    expect(message).to_have_accessible_description(
        re.compile("^Field cannot be longer than 5000 characters.")
    )
    expect(message).to_have_value(too_long)

    # Fix the name only: it is kept, its error is gone, the message's stays.
    name.fill("Grace Hopper")
    assert post(page, "Post feedback", "/feedback/new").status == 422
    expect(name).to_have_value("Grace Hopper")
    expect(name).not_to_have_attribute("aria-invalid", "true")
    expect(field_error(page, name)).to_have_count(0)
    expect(field_error(page, message)).to_be_visible()
    expect(message).to_have_value(too_long)

    message.fill(too_long[:5000])
    expect(page.locator(".counter")).not_to_have_class(re.compile("counter-over"))
    assert post(page, "Post feedback", "/feedback/new").status == 302
    expect(page.locator(".flash-success")).to_have_text(POSTED)
    expect(page.get_by_role("heading", level=1)).to_have_text("Feedback from Grace Hopper")


def test_invalid_registration_shows_inline_errors_and_keeps_the_input(server, page):
    page.goto("/auth/register")
    page.get_by_label("Username", exact=True).fill("a!")
    page.get_by_label("Email", exact=True).fill("not an address")
    page.get_by_label("Password", exact=True).fill("short")
    page.get_by_label("Repeat password", exact=True).fill("shorter")

    assert post(page, "Create account", "/auth/register").status == 422
    expect(page.get_by_role("alert")).to_have_text("Please fix the highlighted fields below.")
    username = page.get_by_label("Username", exact=True)
    email = page.get_by_label("Email", exact=True)
    password = page.get_by_label("Password", exact=True)
    expect(field_error(page, username)).to_contain_text("Use only letters, digits, _ . and -.")
    expect(field_error(page, email)).to_contain_text("An email address must have an @-sign.")
    expect(field_error(page, password)).to_have_text(
        "Use at least 8 (and at most 1024) characters."
    )
    expect(field_error(page, page.get_by_label("Repeat password", exact=True))).to_have_text(
        "The passwords do not match."
    )
    for field in (username, email, password):
        expect(field).to_have_attribute("aria-invalid", "true")
    # What was typed stays, except the passwords, which are never sent back.
    expect(username).to_have_value("a!")
    expect(email).to_have_value("not an address")
    expect(password).to_have_value("")


def test_visitor_keeps_the_manage_link_edits_and_withdraws(server, page):
    page.goto("/feedback/new")
    page.get_by_label("Your name", exact=True).fill("Ada")
    page.get_by_label("Message", exact=True).fill("Pleese add a dark mode")
    page.get_by_role("button", name="Post feedback").click()
    expect(page.locator(".flash-manage")).to_contain_text("Keep this private link")
    link = page.locator(".flash-manage a")
    url = link.get_attribute("href")
    assert re.fullmatch(rf"{server.url}/feedback/\d+/manage/[\w-]{{43}}", url)

    link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your feedback")
    page.get_by_label("Message", exact=True).fill("Please add a dark mode")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("status")).to_have_text("Your changes are saved.")
    page.get_by_role("link", name="shown on the board").click()
    expect(page.locator(".message")).to_have_text("Please add a dark mode")

    page.goto(url)
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Withdraw my feedback").click()
    expect(page).to_have_url(f"{server.url}/feedback/")
    expect(page.get_by_role("status")).to_contain_text("Your feedback is withdrawn")
    assert page.goto(url).status == 404
