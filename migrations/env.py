"""Alembic environment: runs migrations against the Flask app's own engine and models."""

import logging
from logging.config import fileConfig

from alembic import context
from flask import current_app

config = context.config
if config.config_file_name is not None:
    # Keep loggers configured by the app (and by the test run) working.
    fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")

migrate_ext = current_app.extensions["migrate"]
# Flask-SQLAlchemy 3.1 deprecates get_engine(); db.engine is the supported spelling.
engine = migrate_ext.db.engine
target_metadata = migrate_ext.db.metadata


# Full-text search structures differ per database and live only in migrations (see the
# "add full-text search" and "store search vectors" revisions); models do not describe them,
# so comparisons skip them.
SEARCH_TABLES = ("feedback_fts", "notes_fts")
SEARCH_COLUMN = "search_vector"


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    if type_ == "table" and name.startswith(SEARCH_TABLES):
        return False
    if type_ == "column" and name == SEARCH_COLUMN:
        return False
    return not (type_ == "index" and name.startswith("ix_search_"))


def skip_empty_autogenerate(context, revision, directives):
    """`flask db migrate` with no model changes writes no empty revision."""
    if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
        directives[:] = []
        logger.info("No changes in schema detected.")


def run_migrations_offline() -> None:
    context.configure(
        url=engine.url.render_as_string(hide_password=False),
        target_metadata=target_metadata,
        include_object=include_object,
        literal_binds=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    configure_args = dict(migrate_ext.configure_args)
    configure_args.setdefault("process_revision_directives", skip_empty_autogenerate)
    configure_args.setdefault("include_object", include_object)
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata, **configure_args)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
