"""add statuses and team responses

Every item gets a status (open until the team changes it), when it last changed, and the
team's public response with its time. status_changes keeps each change: the item's
history.

Revision ID: f4b2c6d8e0a1
Revises: e7a3b9c1d5f2
Create Date: 2026-12-06 18:20:00.000000

"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision = "f4b2c6d8e0a1"
down_revision = "e7a3b9c1d5f2"
branch_labels = None
depends_on = None

UTC_DATETIME = sa.DateTime(timezone=True).with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")
STATUS_CHECK = (
    "status IN ('open', 'under_review', 'planned', 'in_progress', 'done', 'declined', 'duplicate')"
)


def upgrade():
    # SQLite adds a column with its own CHECK in place. Alembic would add a table CHECK by
    # copying the table, which drops the full-text triggers on feedback.
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "ALTER TABLE feedback ADD COLUMN status VARCHAR(12) DEFAULT 'open' NOT NULL"
            f" CONSTRAINT ck_feedback_status CHECK ({STATUS_CHECK})"
        )
    else:
        op.add_column(
            "feedback",
            sa.Column("status", sa.String(length=12), server_default="open", nullable=False),
        )
        op.create_check_constraint(op.f("ck_feedback_status"), "feedback", STATUS_CHECK)
    op.add_column("feedback", sa.Column("status_changed_at", UTC_DATETIME, nullable=True))
    op.add_column("feedback", sa.Column("response", sa.Text(), nullable=True))
    op.add_column("feedback", sa.Column("responded_at", UTC_DATETIME, nullable=True))

    op.create_table(
        "status_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("feedback_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("response", sa.Text(), nullable=True),
        sa.Column("changed_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.CheckConstraint(STATUS_CHECK, name=op.f("ck_status_changes_status")),
        sa.ForeignKeyConstraint(
            ["changed_by_id"],
            ["users.id"],
            name=op.f("fk_status_changes_changed_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["feedback_id"],
            ["feedback.id"],
            name=op.f("fk_status_changes_feedback_id_feedback"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_status_changes")),
    )
    op.create_index(
        "ix_status_changes_changed_by_id", "status_changes", ["changed_by_id"], unique=False
    )
    op.create_index(
        "ix_status_changes_feedback", "status_changes", ["feedback_id", "created_at"], unique=False
    )


def downgrade():
    # Its indexes go with it: MariaDB will not drop one a foreign key needs first.
    op.drop_table("status_changes")
    op.drop_column("feedback", "responded_at")
    op.drop_column("feedback", "response")
    op.drop_column("feedback", "status_changed_at")
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint(op.f("ck_feedback_status"), "feedback", type_="check")
    op.drop_column("feedback", "status")
