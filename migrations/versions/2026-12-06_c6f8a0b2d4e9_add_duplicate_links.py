"""add duplicate links

An item merged into another points at it (feedback.duplicate_of_id) and has the status
"duplicate"; the original lists what was merged into it through the index. No ON DELETE
action: deleting an original reopens its duplicates first (Feedback.delete), and SQLite's
in-place column could not carry one that `flask db check` reads back.

Revision ID: c6f8a0b2d4e9
Revises: b3e5f7a9c1d4
Create Date: 2026-12-06 18:40:00.000000

"""

import sqlalchemy as sa
from alembic import op

revision = "c6f8a0b2d4e9"
down_revision = "b3e5f7a9c1d4"
branch_labels = None
depends_on = None


def upgrade():
    # SQLite adds a column with its own REFERENCES in place. Alembic would add the foreign
    # key by copying the table, which drops the full-text triggers on feedback.
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "ALTER TABLE feedback ADD COLUMN duplicate_of_id INTEGER"
            " CONSTRAINT fk_feedback_duplicate_of_id_feedback"
            " REFERENCES feedback (id)"
        )
    else:
        op.add_column("feedback", sa.Column("duplicate_of_id", sa.Integer(), nullable=True))
        op.create_foreign_key(
            "fk_feedback_duplicate_of_id_feedback",
            "feedback",
            "feedback",
            ["duplicate_of_id"],
            ["id"],
        )
    op.create_index("ix_feedback_duplicate_of_id", "feedback", ["duplicate_of_id"])


def downgrade():
    # The foreign key first: MariaDB keeps the index while a foreign key needs it.
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint("fk_feedback_duplicate_of_id_feedback", "feedback", type_="foreignkey")
    op.drop_index("ix_feedback_duplicate_of_id", table_name="feedback")
    op.drop_column("feedback", "duplicate_of_id")
