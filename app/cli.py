"""Operator commands: `flask create-admin`, `flask check-deploy`, `flask seed`."""

import os
import re

import click
import sqlalchemy as sa
from flask import Flask, current_app
from flask.cli import with_appcontext

from app.auth.forms import MIN_PASSWORD, USERNAME_PATTERN, normalise_email
from app.deploy import deploy_errors, deploy_warnings
from app.extensions import db
from app.models import User
from app.seed import DEMO_PASSWORD, seed


def register_commands(app: Flask) -> None:
    app.cli.add_command(create_admin)
    app.cli.add_command(check_deploy)
    app.cli.add_command(seed_command)


@click.command("create-admin")
@click.argument("username")
@click.option("--email", help="Email for a new account (asked for when missing).")
@with_appcontext
def create_admin(username: str, email: str | None) -> None:
    """Create the admin USERNAME, or promote that existing member to admin.

    The password of a new account is read from CORKBOARD_ADMIN_PASSWORD when set (for
    scripts), otherwise asked for twice.
    """
    user = db.session.scalar(sa.select(User).where(User.username_key == username.lower()))
    if user is not None:
        user.is_admin = True
        db.session.commit()
        click.echo(f"{user.username} is now an admin.")
        return

    if not (3 <= len(username) <= 32 and re.match(USERNAME_PATTERN, username)):
        raise click.BadParameter("use 3–32 letters, digits, _ . or -", param_hint="USERNAME")
    try:
        email = normalise_email(email or click.prompt("Email"))
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--email") from error
    if db.session.scalar(sa.select(User.id).where(User.email == email)) is not None:
        raise click.ClickException(f"an account with the email {email} already exists")
    password = os.environ.get("CORKBOARD_ADMIN_PASSWORD") or click.prompt(
        "Password", hide_input=True, confirmation_prompt=True
    )
    if len(password.strip()) < MIN_PASSWORD:
        raise click.ClickException(f"the password needs at least {MIN_PASSWORD} characters")
    db.session.add(User(username=username, email=email, password=password.strip(), is_admin=True))
    db.session.commit()
    click.echo(f"Created the admin {username}.")


@click.command("check-deploy")
@with_appcontext
def check_deploy() -> None:
    """Check this configuration for production: errors refuse to start, warnings advise."""
    app = current_app._get_current_object()
    errors, warnings = deploy_errors(app), deploy_warnings(app)
    for error in errors:
        click.echo(f"error: {error}")
    for warning in warnings:
        click.echo(f"warning: {warning}")
    if not errors and not warnings:
        click.echo("No problems found.")
    if errors:
        raise SystemExit(1)


def settle_after_bulk_load() -> None:
    """Bring the database up to date with a bulk load.

    The query planner's row estimates stay stale until the tables are analysed again, and
    stale estimates pick bad plans for the first hours. PostgreSQL also vacuums, marking the
    new rows all-visible: until then index-only scans (numbered pages skip rows with one)
    still visit the table for each row. SQLite folds its write-ahead log into the database,
    or the app's first readers wait for that recovery and may time out.
    """
    tables = ", ".join(("users", "feedback", "notes"))
    # Outside any transaction: neither VACUUM nor a checkpoint can run inside one.
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql(f"VACUUM (ANALYZE) {tables}")
        elif connection.dialect.name == "sqlite":
            connection.exec_driver_sql("ANALYZE")
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        else:
            connection.exec_driver_sql(f"ANALYZE TABLE {tables}")


@click.command("seed")
@click.option("--feedback", default=100, show_default=True, type=click.IntRange(min=0))
@click.option("--notes", default=20, show_default=True, type=click.IntRange(min=0))
@click.option("--users", default=10, show_default=True, type=click.IntRange(min=0))
@click.option("--random-seed", default=1, show_default=True, help="Same seed, same data.")
@with_appcontext
def seed_command(feedback: int, notes: int, users: int, random_seed: int) -> None:
    """Fill the database with realistic demo members, feedback and notes, in bulk.

    Members are demo1, demo2… numbered after the highest existing one; the feedback and
    notes belong only to the members this run adds.
    """
    if notes and not users:
        raise click.BadParameter("notes need authors: add --users", param_hint="--users")
    with click.progressbar(length=feedback + notes, label="Seeding") as bar:
        seed(
            feedback=feedback,
            notes=notes,
            users=users,
            random_seed=random_seed,
            progress=bar.update,
        )
    db.session.commit()
    settle_after_bulk_load()
    click.echo(
        f"Added {users} members (password {DEMO_PASSWORD!r}), "
        f"{feedback} feedback items and {notes} notes."
    )
