"""link notes to feedback

A member can turn a feedback item into a private note that quotes it; the note keeps the
item's id, so the item's page lists the member's notes about it. Like the duplicate link,
no ON DELETE action (Feedback.delete unlinks the notes first), so SQLite can add the
column in place and keep the full-text triggers on notes.

Revision ID: e8b0c2d4f6a3
Revises: d7a9b1c3e5f8
Create Date: 2026-12-06 19:05:00.000000

"""

import sqlalchemy as sa
from alembic import op

revision = "e8b0c2d4f6a3"
down_revision = "d7a9b1c3e5f8"
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "ALTER TABLE notes ADD COLUMN feedback_id INTEGER"
            " CONSTRAINT fk_notes_feedback_id_feedback REFERENCES feedback (id)"
        )
    else:
        op.add_column("notes", sa.Column("feedback_id", sa.Integer(), nullable=True))
        op.create_foreign_key(
            "fk_notes_feedback_id_feedback", "notes", "feedback", ["feedback_id"], ["id"]
        )
    op.create_index("ix_notes_feedback", "notes", ["feedback_id", "author_id"])


def downgrade():
    # The foreign key first: MariaDB keeps the index while a foreign key needs it.
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint("fk_notes_feedback_id_feedback", "notes", type_="foreignkey")
    op.drop_index("ix_notes_feedback", table_name="notes")
    op.drop_column("notes", "feedback_id")
