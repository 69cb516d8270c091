"""add votes

Members vote for feedback, once each: the primary key (feedback_id, user_id) enforces it.
feedback.vote_count is kept in the transaction that adds or removes a vote, so lists show
and sort by it without counting.

Revision ID: e7a3b9c1d5f2
Revises: d2c8f4a61e07
Create Date: 2026-12-06 18:00:00.000000

"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision = "e7a3b9c1d5f2"
down_revision = "d2c8f4a61e07"
branch_labels = None
depends_on = None

UTC_DATETIME = sa.DateTime(timezone=True).with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")


def upgrade():
    op.create_table(
        "votes",
        sa.Column("feedback_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.ForeignKeyConstraint(
            ["feedback_id"],
            ["feedback.id"],
            name=op.f("fk_votes_feedback_id_feedback"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_votes_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("feedback_id", "user_id", name=op.f("pk_votes")),
    )
    op.create_index("ix_votes_user_id", "votes", ["user_id", "feedback_id"])
    # In place, not a batch copy: that would drop SQLite's full-text triggers on feedback.
    op.add_column(
        "feedback", sa.Column("vote_count", sa.Integer(), server_default="0", nullable=False)
    )


def downgrade():
    op.drop_column("feedback", "vote_count")
    # Its indexes go with it: MariaDB will not drop one a foreign key needs first.
    op.drop_table("votes")
