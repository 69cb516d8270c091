"""index visible feedback by time

The public list filters on `hidden` and orders by (created_at, id): this index serves both,
so pages and keyset steps cost the same at any depth.

Revision ID: 9a7c3e1f5b28
Revises: 5d2b8c4e9f61
Create Date: 2026-11-22 03:50:00.000000

"""

from alembic import op

revision = "9a7c3e1f5b28"
down_revision = "5d2b8c4e9f61"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_feedback_public_list", "feedback", ["hidden", "created_at", "id"])


def downgrade():
    op.drop_index("ix_feedback_public_list", table_name="feedback")
