"""offers: offers made on cases from pre-approved solutions (P19-P21)

Revision ID: 0006_offers
Revises: 0001_core
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_offers"
down_revision: str | Sequence[str] | None = "0001_core"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "offers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("solution_id", sa.String(length=60), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("amount", sa.Float(), nullable=False),
        sa.Column("limit", sa.Float(), nullable=False),
        sa.Column("term", sa.String(length=10), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("needs_approval", sa.Boolean(), nullable=False),
        sa.Column("approved_by", sa.Integer(), nullable=True),
        sa.Column("proposed_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("responded_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_offers_case_id_cases")),
        sa.ForeignKeyConstraint(["approved_by"], ["users.id"], name=op.f("fk_offers_approved_by_users")),
        sa.ForeignKeyConstraint(["proposed_by"], ["users.id"], name=op.f("fk_offers_proposed_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_offers")),
    )
    with op.batch_alter_table("offers") as batch:
        batch.create_index(batch.f("ix_offers_case_id"), ["case_id"], unique=False)
        batch.create_index(batch.f("ix_offers_status"), ["status"], unique=False)
        batch.create_index(batch.f("ix_offers_created_at"), ["created_at"], unique=False)


def downgrade() -> None:
    op.drop_table("offers")
