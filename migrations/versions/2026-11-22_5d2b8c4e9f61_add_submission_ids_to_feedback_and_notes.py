"""add submission ids to feedback and notes

A form posted twice carries the same submission id; the unique constraint keeps the
second copy out.

Revision ID: 5d2b8c4e9f61
Revises: c7a9e0b3d4f2
Create Date: 2026-11-22 03:20:00.000000

"""

import sqlalchemy as sa
from alembic import op

revision = "5d2b8c4e9f61"
down_revision = "c7a9e0b3d4f2"
branch_labels = None
depends_on = None

TABLES = ("feedback", "notes")


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(sa.Column("submission_id", sa.String(length=32), nullable=True))
            batch_op.create_unique_constraint(
                batch_op.f(f"uq_{table}_submission_id"), ["submission_id"]
            )


def downgrade():
    for table in TABLES:
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_constraint(batch_op.f(f"uq_{table}_submission_id"), type_="unique")
            batch_op.drop_column("submission_id")
