"""create notes table

Revision ID: 8b4e6d2f1a53
Revises: 3f1c2a9d7b10
Create Date: 2026-11-22 02:53:00.000000

"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision = "8b4e6d2f1a53"
down_revision = "3f1c2a9d7b10"
branch_labels = None
depends_on = None

# 100,000 characters need up to 400 kB; MariaDB's TEXT stops at 64 kB.
LONG_TEXT = sa.Text().with_variant(mysql.MEDIUMTEXT(), "mysql", "mariadb")
UTC_DATETIME = sa.DateTime(timezone=True).with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")


def upgrade():
    op.create_table(
        "notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=120), nullable=False),
        sa.Column("content", LONG_TEXT, nullable=False),
        sa.Column("visibility", sa.String(length=7), nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.Column("updated_at", UTC_DATETIME, nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("hidden", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.CheckConstraint("visibility IN ('public', 'private')", name=op.f("ck_notes_visibility")),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["users.id"],
            name=op.f("fk_notes_author_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notes")),
    )
    # The author index also serves the foreign key.
    op.create_index("ix_notes_author_list", "notes", ["author_id", "created_at", "id"])
    op.create_index("ix_notes_public_list", "notes", ["visibility", "hidden", "created_at", "id"])


def downgrade():
    op.drop_table("notes")
