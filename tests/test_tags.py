"""Tags, and the list's filters and orders: status, tag, sort and search, combined."""

import re

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Feedback, FeedbackTag, Tag
from tests.factories import make_feedback


def names_on(page: str) -> list[str]:
    return re.findall(r'<strong class="author">([^<]+)</strong>', page)


@pytest.fixture
def tags(app):
    with app.app_context():
        db.session.add_all([Tag(name="Mobile app"), Tag(name="Billing")])
        db.session.commit()
        return {tag.slug: tag.id for tag in db.session.scalars(sa.select(Tag))}


def tag_items(app, pairs) -> None:
    with app.app_context():
        db.session.add_all(FeedbackTag(feedback_id=item, tag_id=tag) for item, tag in pairs)
        db.session.commit()


def test_admins_create_tags_unique_case_insensitively(app, client, auth, admin):
    auth.login("boss")
    response = client.post("/admin/tags", data={"name": "  Mobile   app "})
    assert response.status_code == 302
    page = client.get("/admin/tags").text
    assert "Tag “Mobile app” added." in page and "?tag=mobile-app" in page
    for clash in ("mobile APP", "Mobile-App"):
        refused = client.post("/admin/tags", data={"name": clash})
        assert refused.status_code == 422 and "There is a tag “Mobile app” already." in refused.text
    for bad, error in (("", "required"), ("x" * 31, "30"), ("a\x00", "NUL")):
        refused = client.post("/admin/tags", data={"name": bad})
        assert refused.status_code == 422 and error in refused.text
    with app.app_context():
        assert db.session.scalars(sa.select(Tag.name)).all() == ["Mobile app"]


def test_an_items_tags_become_exactly_the_ones_sent(app, client, auth, admin, tags):
    with app.app_context():
        item = make_feedback(message="The app crashes").id
    auth.login("boss")
    assert 'name="tags" type="checkbox" value="Billing"' in client.get(f"/feedback/{item}").text
    client.post(f"/admin/feedback/{item}/tags", data={"tags": ["Mobile app", "Billing"]})
    page = app.test_client().get(f"/feedback/{item}").text
    assert 'href="/feedback/?tag=mobile-app">Mobile app</a>' in page
    assert ">Billing</a>" in page
    client.post(f"/admin/feedback/{item}/tags", data={"tags": ["Billing"]})
    client.post(f"/admin/feedback/{item}/tags", data={"tags": ["Billing"]})
    with app.app_context():
        stored = db.session.scalars(
            sa.select(FeedbackTag.tag_id).where(FeedbackTag.feedback_id == item)
        )
        assert list(stored) == [tags["billing"]]
    refused = client.post(f"/admin/feedback/{item}/tags", data={"tags": ["Billing", "Nope"]})
    assert refused.status_code == 422 and "Nope" in refused.text
    client.post(f"/admin/feedback/{item}/tags", data={})
    assert ">Billing</a>" not in app.test_client().get(f"/feedback/{item}").text


def test_deleting_a_tag_takes_it_off_every_item(app, client, auth, admin, tags):
    with app.app_context():
        item = make_feedback().id
    tag_items(app, [(item, tags["billing"])])
    auth.login("boss")
    client.post(f"/admin/tags/{tags['billing']}/delete")
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(FeedbackTag)) == 0
    assert client.get("/feedback/?tag=billing").status_code == 400


def test_the_list_filters_by_status_and_tag_and_shows_them(app, client, tags):
    with app.app_context():
        planned = make_feedback(name="Planned mobile", status="planned").id
        make_feedback(name="Planned other", status="planned")
        mobile = make_feedback(name="Open mobile").id
        make_feedback(name="A duplicate", status="duplicate")
    tag_items(app, [(planned, tags["mobile-app"]), (mobile, tags["mobile-app"])])

    assert "A duplicate" not in names_on(client.get("/feedback/").text)
    assert names_on(client.get("/feedback/?status=duplicate").text) == ["A duplicate"]
    assert set(names_on(client.get("/feedback/?status=planned").text)) == {
        "Planned mobile", "Planned other"}  # fmt: skip
    assert set(names_on(client.get("/feedback/?tag=mobile-app").text)) == {
        "Planned mobile", "Open mobile"}  # fmt: skip
    both = client.get("/feedback/?status=planned&tag=mobile-app").text
    assert names_on(both) == ["Planned mobile"]
    # The active filters, each with a link that clears it alone.
    assert 'href="/feedback/?tag=mobile-app">Clear' in both
    assert 'href="/feedback/?status=planned">Clear' in both
    assert ">Mobile app</a>" in both  # the card's tags


@pytest.mark.parametrize(
    "query", ["status=shipped", "tag=unknown", "sort=random", "status=Open", "sort=top&tag=x"]
)
def test_unknown_filter_values_are_a_400_naming_the_problem(client, tags, query):
    response = client.get(f"/feedback/?{query}")
    assert response.status_code == 400
    assert "There is no" in response.text


def test_sorting_by_votes_and_comments_pages_with_cursors(app, client):
    with app.app_context():
        for n in range(45):
            make_feedback(name=f"Item {n}", vote_count=n % 7, comment_count=n % 5)
    top = []
    path = "/feedback/?sort=top"
    while path:
        page = client.get(path.replace("&amp;", "&")).text
        top += names_on(page)
        found = re.search(r'<a rel="next" href="([^"]+)"', page)
        path = found.group(1) if found else None
    with app.app_context():
        expected = db.session.scalars(
            sa.select(Feedback.name).order_by(Feedback.vote_count.desc(), Feedback.id.desc())
        ).all()
    assert top == expected
    third = names_on(client.get("/feedback/?sort=discussed&page=3").text)
    with app.app_context():
        discussed = db.session.scalars(
            sa.select(Feedback.name).order_by(Feedback.comment_count.desc(), Feedback.id.desc())
        ).all()
    assert third == discussed[40:]


def test_filters_combine_with_search(app, client):
    with app.app_context():
        make_feedback(name="Zed planned", message="zebra crossing", status="planned", vote_count=1)
        make_feedback(name="Zed open", message="zebra stripes", vote_count=5)
        make_feedback(
            name="Zed popular", message="zebra zebra zebra", status="planned", vote_count=9
        )
    assert set(names_on(client.get("/feedback/?q=zebra&status=planned").text)) == {
        "Zed planned", "Zed popular"}  # fmt: skip
    assert names_on(client.get("/feedback/?q=zebra&sort=top").text) == [
        "Zed popular", "Zed open", "Zed planned"]  # fmt: skip


def test_a_name_whose_address_form_is_too_long_is_refused(app, client, auth, admin):
    auth.login("boss")
    response = client.post("/admin/tags", data={"name": "İ" * 30})
    assert response.status_code == 422 and "shorter name" in response.text


def test_a_refused_admin_form_keeps_the_items_tags_ticked(app, client, auth, admin, tags):
    with app.app_context():
        item = make_feedback().id
    tag_items(app, [(item, tags["billing"])])
    auth.login("boss")
    refused = client.post(f"/admin/feedback/{item}/status", data={"status": "shipped"})
    assert refused.status_code == 422
    assert 'checked id="tags-0" name="tags" type="checkbox" value="Billing"' in refused.text


def test_searching_newest_first_is_honoured(app, client):
    with app.app_context():
        make_feedback(name="Old best", message="zebra zebra zebra zebra")
        make_feedback(name="New weak", message="a zebra and many other words to dilute it")
    assert names_on(client.get("/feedback/?q=zebra").text) == ["Old best", "New weak"]
    assert names_on(client.get("/feedback/?q=zebra&sort=newest").text) == ["New weak", "Old best"]


def item_counts(app) -> dict[str, int]:
    with app.app_context():
        return dict(db.session.execute(sa.select(Tag.slug, Tag.item_count)).all())


def test_tags_count_their_items(app, client, auth, admin, tags):
    with app.app_context():
        first, second = make_feedback().id, make_feedback().id
    auth.login("boss")
    client.post(f"/admin/feedback/{first}/tags", data={"tags": ["Mobile app", "Billing"]})
    client.post(f"/admin/feedback/{second}/tags", data={"tags": ["Billing"]})
    assert item_counts(app) == {"mobile-app": 1, "billing": 2}
    client.post(f"/admin/feedback/{first}/tags", data={"tags": ["Mobile app"]})
    assert item_counts(app) == {"mobile-app": 1, "billing": 1}
    client.post(f"/admin/feedback/{first}/delete")
    assert item_counts(app) == {"mobile-app": 0, "billing": 1}
    assert "<td>1</td>" in client.get("/admin/tags").text


@pytest.mark.parametrize("common", [True, False])
def test_common_and_rare_tags_filter_alike(app, client, tags, monkeypatch, common):
    """A common tag walks the list's index, a rare one sorts its items: same page."""
    monkeypatch.setattr("app.feedback.listing.COMMON_TAG", -1 if common else 10**9)
    with app.app_context():
        ids = [make_feedback(name=f"Item {n}", vote_count=n % 3).id for n in range(30)]
    tag_items(app, [(id, tags["billing"]) for id in ids[::3]])
    with app.app_context():
        db.session.execute(sa.update(Tag).values(item_count=10))
        db.session.commit()
    newest = names_on(client.get("/feedback/?tag=billing").text)
    assert newest == [f"Item {n}" for n in range(27, -1, -3)]
    top = names_on(client.get("/feedback/?tag=billing&sort=top").text)
    assert top == sorted(
        newest, key=lambda name: (int(name.split()[1]) % 3, int(name.split()[1])), reverse=True
    )
