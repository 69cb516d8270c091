"""count tagged items

Each tag keeps how many items carry it, so the list can filter by a common tag and by a
rare one with the query that suits each. Existing tags are counted.

Revision ID: f9c1d3e5a7b0
Revises: e8b0c2d4f6a3
Create Date: 2026-12-06 19:15:00.000000

"""

import sqlalchemy as sa
from alembic import op

revision = "f9c1d3e5a7b0"
down_revision = "e8b0c2d4f6a3"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("tags", sa.Column("item_count", sa.Integer(), server_default="0", nullable=False))
    op.execute(
        "UPDATE tags SET item_count ="
        " (SELECT count(*) FROM feedback_tags WHERE feedback_tags.tag_id = tags.id)"
    )


def downgrade():
    op.drop_column("tags", "item_count")
