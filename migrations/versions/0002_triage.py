"""triage: stored triage results per message

Revision ID: 0002_triage
Revises: 0001_core
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_triage"
down_revision: str | Sequence[str] | None = "0001_core"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "triage_results",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("result", sa.JSON(), nullable=False),
        sa.Column("model_version", sa.String(length=60), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_triage_results_case_id_cases")),
        sa.ForeignKeyConstraint(
            ["message_id"], ["messages.id"], name=op.f("fk_triage_results_message_id_messages")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_triage_results")),
        sa.UniqueConstraint("message_id", name=op.f("uq_triage_results_message_id")),
    )
    op.create_index(op.f("ix_triage_results_case_id"), "triage_results", ["case_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_triage_results_case_id"), table_name="triage_results")
    op.drop_table("triage_results")
