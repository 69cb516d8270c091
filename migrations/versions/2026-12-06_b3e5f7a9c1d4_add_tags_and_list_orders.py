"""add tags and list orders

Admins tag feedback; the list filters by tag and status and sorts by newest, most voted
or most discussed. Each of those orders, with and without a status filter, gets an index
that serves it from the first page to the last (hidden first: the public list asks for
hidden = false).

Revision ID: b3e5f7a9c1d4
Revises: a9d1e3f5b7c2
Create Date: 2026-12-06 18:25:00.000000

"""

import sqlalchemy as sa
from alembic import op

revision = "b3e5f7a9c1d4"
down_revision = "a9d1e3f5b7c2"
branch_labels = None
depends_on = None

ORDERS = {
    "ix_feedback_top": ["hidden", "vote_count", "id"],
    "ix_feedback_discussed": ["hidden", "comment_count", "id"],
    "ix_feedback_status_newest": ["hidden", "status", "created_at", "id"],
    "ix_feedback_status_top": ["hidden", "status", "vote_count", "id"],
    "ix_feedback_status_discussed": ["hidden", "status", "comment_count", "id"],
}


def upgrade():
    op.create_table(
        "tags",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=30), nullable=False),
        sa.Column("slug", sa.String(length=30), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tags")),
        sa.UniqueConstraint("slug", name=op.f("uq_tags_slug")),
    )
    op.create_table(
        "feedback_tags",
        sa.Column("feedback_id", sa.Integer(), nullable=False),
        sa.Column("tag_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["feedback_id"],
            ["feedback.id"],
            name=op.f("fk_feedback_tags_feedback_id_feedback"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tag_id"], ["tags.id"], name=op.f("fk_feedback_tags_tag_id_tags"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("feedback_id", "tag_id", name=op.f("pk_feedback_tags")),
    )
    op.create_index("ix_feedback_tags_tag", "feedback_tags", ["tag_id", "feedback_id"])
    for name, columns in ORDERS.items():
        op.create_index(name, "feedback", columns)


def downgrade():
    for name in reversed(ORDERS):
        op.drop_index(name, table_name="feedback")
    # Its indexes go with it: MariaDB will not drop one a foreign key needs first.
    op.drop_table("feedback_tags")
    op.drop_table("tags")
