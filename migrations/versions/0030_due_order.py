"""due order: the case's next due time and kind, the sweep's claim columns, indexes for queue and list (issue 23)

Revision ID: 0030_due_order
Revises: 0007_mail
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0030_due_order"
down_revision: str | Sequence[str] | None = "0007_mail"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FAR = "9999-01-01 00:00:00.000000"


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("next_due_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("next_due", sa.String(length=12), nullable=False, server_default=""))
        batch.add_column(sa.Column("clock_stale", sa.Boolean(), nullable=False, server_default=sa.true()))
    # Open cases enter the queue at once (no deadline yet); every clock is recomputed by the next sweeps.
    far = FAR if op.get_bind().dialect.name == "sqlite" else "9999-01-01 00:00:00+00"
    op.execute(f"UPDATE cases SET next_due_at = '{far}' WHERE status NOT IN ('resolved', 'closed')")
    op.create_index("ix_cases_queue", "cases", ["workspace_id", "next_due_at", "id"])
    op.create_index("ix_cases_owner_queue", "cases", ["workspace_id", "owner_id", "next_due_at", "id"])
    op.create_index("ix_cases_due_kind", "cases", ["workspace_id", "next_due", "next_due_at", "id"])
    op.create_index("ix_cases_listing", "cases", ["workspace_id", "created_at", "id"])
    op.drop_index("ix_cases_created_at", table_name="cases")  # the listing index serves every such query
    op.create_index(
        "ix_cases_clock_stale",
        "cases",
        ["id"],
        sqlite_where=sa.text("clock_stale = 1"),
        postgresql_where=sa.text("clock_stale"),
    )
    with op.batch_alter_table("case_clocks") as batch:
        batch.add_column(sa.Column("next_check_at", sa.DateTime(timezone=True), nullable=True))
    op.create_index(
        "ix_case_clocks_next_check",
        "case_clocks",
        ["next_check_at"],
        sqlite_where=sa.text("next_check_at IS NOT NULL"),
        postgresql_where=sa.text("next_check_at IS NOT NULL"),
    )
    op.create_index(
        "ix_follow_ups_pending",
        "follow_ups",
        ["scheduled_at"],
        sqlite_where=sa.text("sent_at IS NULL"),
        postgresql_where=sa.text("sent_at IS NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_follow_ups_pending", table_name="follow_ups")
    op.drop_index("ix_case_clocks_next_check", table_name="case_clocks")
    with op.batch_alter_table("case_clocks") as batch:
        batch.drop_column("next_check_at")
    op.create_index("ix_cases_created_at", "cases", ["created_at"])
    for name in ("ix_cases_clock_stale", "ix_cases_listing", "ix_cases_due_kind", "ix_cases_owner_queue"):
        op.drop_index(name, table_name="cases")
    op.drop_index("ix_cases_queue", table_name="cases")
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("clock_stale")
        batch.drop_column("next_due")
        batch.drop_column("next_due_at")
