"""`flask seed`: realistic demo data in bulk, the same for the same seed."""

import sqlalchemy as sa

from app.extensions import db
from app.models import Comment, Feedback, FeedbackTag, Note, Tag, User, Vote
from tests.conftest import PASSWORD, delete_all_rows

DEMO_PASSWORD = "corkboard-demo"


def seed(app, *args):
    result = app.test_cli_runner().invoke(args=["seed", *args])
    assert result.exit_code == 0, result.output
    return result


def contents(app):
    with app.app_context():
        feedback = db.session.execute(
            sa.select(Feedback.name, Feedback.message, Feedback.hidden).order_by(Feedback.id)
        ).all()
        notes = db.session.execute(sa.select(Note.title, Note.visibility).order_by(Note.id)).all()
    return feedback, notes


def test_seed_adds_what_it_says(app):
    result = seed(app, "--feedback", "250", "--notes", "30", "--users", "5")
    assert "Added 5 members" in result.output and "250 feedback items and 30 notes" in result.output
    feedback, notes = contents(app)
    assert len(feedback) == 250 and len(notes) == 30
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 5
        times = db.session.scalars(sa.select(Feedback.created_at).order_by(Feedback.id)).all()
        assert times == sorted(times)  # newer rows have later times, as on a real board
        demo = db.session.scalar(sa.select(User).where(User.username == "demo1"))
        assert demo.check_password("corkboard-demo")
    assert len({name for name, _, _ in feedback}) > 50  # varied, not one name repeated
    assert {visibility for _, visibility in notes} == {"public", "private"}


def test_the_same_seed_gives_the_same_data(app):
    def seeded_with(random_seed: str):
        with app.app_context():
            delete_all_rows()
        seed(app, "--feedback", "40", "--notes", "5", "--users", "2", "--random-seed", random_seed)
        return contents(app)

    first, again, other = seeded_with("7"), seeded_with("7"), seeded_with("8")
    assert first == again
    assert first != other


def test_seeded_data_is_searchable_and_pages(app, client):
    seed(app, "--feedback", "45", "--notes", "0", "--users", "0")
    assert client.get("/feedback/?page=3").status_code == 200
    page = client.get("/feedback/?q=dark").text
    assert "<mark>" in page


def test_notes_need_members(app):
    result = app.test_cli_runner().invoke(args=["seed", "--notes", "3", "--users", "0"])
    assert result.exit_code != 0
    assert "notes need authors" in result.output


def usernames(app) -> list[str]:
    with app.app_context():
        return db.session.scalars(sa.select(User.username).order_by(User.id)).all()


def register(client, username: str, email: str):
    data = {"username": username, "email": email, "password": PASSWORD, "password2": PASSWORD}
    response = client.post("/auth/register", data=data)
    assert response.status_code == 302
    client.post("/auth/logout")


def authors(app, model) -> set[str | None]:
    """The usernames of the members the rows of `model` belong to (None: no member)."""
    with app.app_context():
        query = sa.select(User.username).select_from(model).outerjoin(model.author)
        return set(db.session.scalars(query.distinct()))


def test_demo_members_start_at_demo1_beside_real_members(app, user, auth):
    seed(app, "--feedback", "0", "--notes", "0", "--users", "2")
    assert usernames(app) == ["alice", "demo1", "demo2"]
    assert auth.login("demo1", DEMO_PASSWORD).status_code == 302


def test_a_second_run_adds_the_next_demo_members(app, client):
    seed(app, "--feedback", "0", "--notes", "0", "--users", "2")
    register(client, "carol", "carol@example.org")
    seed(app, "--feedback", "0", "--notes", "0", "--users", "2")
    assert usernames(app) == ["demo1", "demo2", "carol", "demo3", "demo4"]


def test_numbers_continue_after_the_highest_demo_member(app):
    seed(app, "--feedback", "0", "--notes", "0", "--users", "3")
    with app.app_context():
        db.session.execute(sa.delete(User).where(User.username == "demo1"))
        db.session.commit()
    seed(app, "--feedback", "0", "--notes", "0", "--users", "2")
    assert usernames(app) == ["demo2", "demo3", "demo4", "demo5"]


def test_demo_numbers_skip_a_real_members_demo_email(app, client):
    register(client, "carol", "demo1@example.org")
    seed(app, "--feedback", "0", "--notes", "0", "--users", "1")
    assert usernames(app) == ["carol", "demo2"]


def test_demo_content_stays_out_of_real_members_accounts(app, user, auth, client):
    seed(app, "--feedback", "300", "--notes", "30", "--users", "3")
    assert authors(app, Feedback) == {None, "demo1", "demo2", "demo3"}
    assert authors(app, Note) == {"demo1", "demo2", "demo3"}
    auth.login("alice")
    assert "You have no notes yet" in client.get("/notes/mine").text


def test_without_demo_members_feedback_is_anonymous_and_notes_are_refused(app, user, count_rows):
    seed(app, "--feedback", "300", "--notes", "0", "--users", "0")
    assert authors(app, Feedback) == {None}
    result = app.test_cli_runner().invoke(args=["seed", "--notes", "3", "--users", "0"])
    assert result.exit_code != 0
    assert "notes need authors: add --users" in result.output
    assert count_rows(Note) == 0


def planner_knows_the_rows(connection) -> bool:
    """Whether the database's statistics (and on PostgreSQL its visibility map) cover the
    feedback table, as after ANALYZE (and VACUUM)."""
    dialect = connection.dialect.name
    if dialect == "postgresql":
        visible = (
            "SELECT relallvisible > 0 AND reltuples > 0 FROM pg_class WHERE relname = 'feedback'"
        )
        return bool(connection.exec_driver_sql(visible).scalar())
    if dialect == "sqlite":
        stats = "SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'feedback'"
        return bool(connection.exec_driver_sql(stats).scalar())
    rows = (
        "SELECT table_rows FROM information_schema.tables"
        " WHERE table_schema = DATABASE() AND table_name = 'feedback'"
    )
    return connection.exec_driver_sql(rows).scalar() > 0


def test_seeding_leaves_the_planner_up_to_date(app):
    seed(app, "--feedback", "300", "--notes", "0", "--users", "0")
    with app.app_context(), db.engine.connect() as connection:
        assert planner_knows_the_rows(connection)


def test_seeded_counts_match_the_votes_and_comments_stored(app):
    seed(app, "--feedback", "2000", "--notes", "0", "--users", "30")
    with app.app_context():
        for model, count in ((Vote, Feedback.vote_count), (Comment, Feedback.comment_count)):
            stored = (
                sa.select(sa.func.count())
                .where(model.feedback_id == Feedback.id)
                .correlate(Feedback)
                .scalar_subquery()
            )
            drifted = sa.select(sa.func.count()).where(count != stored)
            assert db.session.scalar(drifted) == 0
            assert db.session.scalar(sa.select(sa.func.sum(count))) > 0
        statuses = set(db.session.scalars(sa.select(Feedback.status).distinct()))
        assert {"open", "planned", "done"} <= statuses
        tagged = db.session.scalar(sa.select(sa.func.count()).select_from(FeedbackTag))
        assert tagged > 0
        assert db.session.scalar(sa.select(sa.func.sum(Tag.item_count))) == tagged
