"""add author and hidden flag to feedback

Revision ID: c7a9e0b3d4f2
Revises: 8b4e6d2f1a53
Create Date: 2026-11-22 02:54:00.000000

"""

import sqlalchemy as sa
from alembic import op

revision = "c7a9e0b3d4f2"
down_revision = "8b4e6d2f1a53"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("feedback") as batch_op:
        batch_op.add_column(sa.Column("author_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("hidden", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.create_index(batch_op.f("ix_feedback_author_id"), ["author_id"])
        batch_op.create_foreign_key(
            batch_op.f("fk_feedback_author_id_users"),
            "users",
            ["author_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade():
    with op.batch_alter_table("feedback") as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_feedback_author_id_users"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_feedback_author_id"))
        batch_op.drop_column("hidden")
        batch_op.drop_column("author_id")
