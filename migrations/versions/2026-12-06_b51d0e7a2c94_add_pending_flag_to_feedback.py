"""add pending flag to feedback, index notes for moderation

Feedback held for a moderator's approval was only `hidden`, like feedback a moderator took
down, so the moderation page could not list what waits for approval. Held feedback is now
`pending` as well as hidden; publishing it clears both. The new indexes serve the
moderation tabs newest first: pending feedback, and every public note, hidden or not.

Items held before this revision cannot be told from hidden ones and stay merely hidden.

Revision ID: b51d0e7a2c94
Revises: c773e04b28e7
Create Date: 2026-12-06 17:40:00.000000

"""

import sqlalchemy as sa
from alembic import op

revision = "b51d0e7a2c94"
down_revision = "c773e04b28e7"
branch_labels = None
depends_on = None


# Plain ALTER TABLE, not batch mode: SQLite adds a column in place, while a batch copy of
# the table would drop the triggers that keep its full-text index up to date.
def upgrade():
    op.add_column(
        "feedback", sa.Column("pending", sa.Boolean(), server_default=sa.false(), nullable=False)
    )
    op.create_index("ix_feedback_pending_list", "feedback", ["pending", "created_at", "id"])
    op.create_index("ix_notes_moderation_list", "notes", ["visibility", "created_at", "id"])


def downgrade():
    op.drop_index("ix_notes_moderation_list", table_name="notes")
    op.drop_index("ix_feedback_pending_list", table_name="feedback")
    # SQLite drops a column in place since 3.35.
    op.drop_column("feedback", "pending")
