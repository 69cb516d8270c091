"""A member registers, logs in, writes, edits and deletes notes; others see only public ones."""

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.e2e import log_in
from tests.factories import make_user

pytestmark = pytest.mark.e2e


def nav(page):
    return page.get_by_role("navigation", name="Main")


def write_note(page, title: str, content: str, visibility: str) -> str:
    """Write a note through the form; returns its address."""
    nav(page).get_by_role("link", name="New note").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New note")
    page.get_by_label("Title", exact=True).fill(title)
    page.get_by_label("Content", exact=True).fill(content)
    page.get_by_role("group", name="Who can see it").get_by_label(visibility).check()
    page.get_by_role("button", name="Save note").click()
    expect(page.get_by_role("status")).to_have_text("Your note is saved.")
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    return page.url


def expect_not_found(page, url: str) -> None:
    response = page.goto(url)
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")


def expect_note(page, url: str, title: str) -> None:
    response = page.goto(url)
    assert response.status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text(title)


def test_member_writes_edits_and_deletes_notes_others_see_only_public_ones(
    server, open_context, page
):
    with server.app.app_context():
        make_user(username="bob", email="bob@example.org", password=PASSWORD)

    # Register: the new member lands on their (empty) notes, signed in.
    page.goto("/")
    nav(page).get_by_role("link", name="Register").click()
    page.get_by_label("Username", exact=True).fill("alice")
    page.get_by_label("Email", exact=True).fill("alice@example.org")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Repeat password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("status")).to_have_text("Welcome to Corkboard, alice!")
    expect(page.get_by_role("heading", level=1)).to_have_text("My notes")
    expect(page.get_by_text("You have no notes yet")).to_be_visible()

    # Log out, and back in with the email address.
    nav(page).get_by_role("button", name="Log out alice").click()
    expect(page.get_by_role("status")).to_have_text("You are signed out.")
    expect(nav(page).get_by_role("link", name="Log in")).to_be_visible()
    log_in(page, "alice@example.org")
    expect(nav(page).get_by_role("button", name="Log out alice")).to_be_visible()

    public_url = write_note(
        page, "Garden plans", "Plant **tomatoes** in May.\n\n- basil\n- chives", "Everyone"
    )
    note = page.locator(".markdown")
    expect(note.locator("strong")).to_have_text("tomatoes")
    expect(note.get_by_role("listitem")).to_have_text(["basil", "chives"])
    expect(page.locator(".card-meta .badge")).to_have_text("Public")

    private_url = write_note(page, "Diary", "Dear diary, _nobody_ reads this.", "Only me")
    expect(page.locator(".card-meta .badge")).to_have_text("Private")

    # Edit the private note: the form comes back filled in.
    page.get_by_role("link", name="Edit").click()
    title = page.get_by_label("Title", exact=True)
    expect(title).to_have_value("Diary")
    expect(page.get_by_label("Only me")).to_be_checked()
    title.fill("Secret diary")
    page.get_by_role("button", name="Save note").click()
    expect(page.get_by_role("status")).to_have_text("Your changes are saved.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Secret diary")
    assert page.url == private_url
    expect(page.locator(".card-meta")).to_contain_text("edited")

    nav(page).get_by_role("link", name="My notes").click()
    expect(page.locator(".card h2")).to_have_text(["Secret diary", "Garden plans"])
    expect(page.locator(".card", has_text="Secret diary").locator(".badge")).to_have_text("Private")

    # Someone who is not signed in, and another member: the public note only.
    anonymous = open_context().new_page()
    bob = open_context().new_page()
    log_in(bob, "bob")
    for other in (anonymous, bob):
        expect_note(other, public_url, "Garden plans")
        expect(other.get_by_role("link", name="Edit")).to_have_count(0)
        expect(other.get_by_role("button", name="Delete")).to_have_count(0)
        expect_not_found(other, private_url)
        other.goto("/notes/")
        expect(other.locator(".card h2")).to_have_text(["Garden plans"])
    expect_not_found(bob, private_url + "/edit")

    # Delete the public note: cancelling the confirmation keeps it, accepting deletes it.
    answers = [False, True]
    confirmations = []

    def answer(dialog):
        confirmations.append((dialog.type, dialog.message))
        if answers.pop(0):
            dialog.accept()
        else:
            dialog.dismiss()

    page.on("dialog", answer)
    page.goto(public_url)
    page.get_by_role("button", name="Delete").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Garden plans")
    assert page.url == public_url
    page.get_by_role("button", name="Delete").click()
    expect(page.get_by_role("status")).to_have_text("Deleted “Garden plans”.")
    expect(page.get_by_role("heading", level=1)).to_have_text("My notes")
    expect(page.locator(".card h2")).to_have_text(["Secret diary"])
    assert confirmations == [("confirm", "Delete this note for good?")] * 2

    for other in (anonymous, bob):
        expect_not_found(other, public_url)
    expect_note(page, private_url, "Secret diary")
