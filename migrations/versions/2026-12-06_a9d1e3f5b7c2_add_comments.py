"""add comments

Members comment on feedback (Markdown). A comment outlives its author's account
(author_id SET NULL). feedback.comment_count is kept in the transaction that adds or
removes one, so cards show it, and lists sort by it, without counting.

Revision ID: a9d1e3f5b7c2
Revises: f4b2c6d8e0a1
Create Date: 2026-12-06 18:10:00.000000

"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision = "a9d1e3f5b7c2"
down_revision = "f4b2c6d8e0a1"
branch_labels = None
depends_on = None

UTC_DATETIME = sa.DateTime(timezone=True).with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")


def upgrade():
    op.create_table(
        "comments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("feedback_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.Column("updated_at", UTC_DATETIME, nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["users.id"],
            name=op.f("fk_comments_author_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["feedback_id"],
            ["feedback.id"],
            name=op.f("fk_comments_feedback_id_feedback"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_comments")),
    )
    op.create_index("ix_comments_feedback_list", "comments", ["feedback_id", "created_at", "id"])
    op.create_index("ix_comments_author_recent", "comments", ["author_id", "created_at"])
    # In place, not a batch copy: that would drop SQLite's full-text triggers on feedback.
    op.add_column(
        "feedback", sa.Column("comment_count", sa.Integer(), server_default="0", nullable=False)
    )


def downgrade():
    op.drop_column("feedback", "comment_count")
    # Its indexes go with it: MariaDB will not drop one a foreign key needs first.
    op.drop_table("comments")
