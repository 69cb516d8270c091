"""create feedback table

Revision ID: ca537cfcff18
Revises:
Create Date: 2026-11-22 02:45:34.017006

"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision = "ca537cfcff18"
down_revision = None
branch_labels = None
depends_on = None

# Aware UTC timestamps; MariaDB needs an explicit precision to keep microseconds.
UTC_DATETIME = sa.DateTime(timezone=True).with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")


def upgrade():
    op.create_table(
        "feedback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback")),
    )
    op.create_index("ix_feedback_created_at_id", "feedback", ["created_at", "id"])


def downgrade():
    op.drop_index("ix_feedback_created_at_id", table_name="feedback")
    op.drop_table("feedback")
