"""add manage links to feedback

An anonymous visitor gets a secret link to edit (for 7 days) or withdraw what they
posted. Only the SHA-256 of its token is kept; the item's id in the link finds the row.

Revision ID: d7a9b1c3e5f8
Revises: c6f8a0b2d4e9
Create Date: 2026-12-06 18:55:00.000000

"""

import sqlalchemy as sa
from alembic import op

revision = "d7a9b1c3e5f8"
down_revision = "c6f8a0b2d4e9"
branch_labels = None
depends_on = None


# In place, not a batch copy: that would drop SQLite's full-text triggers on feedback.
def upgrade():
    op.add_column("feedback", sa.Column("manage_token_hash", sa.String(length=64), nullable=True))


def downgrade():
    op.drop_column("feedback", "manage_token_hash")
