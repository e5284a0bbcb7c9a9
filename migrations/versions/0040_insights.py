"""insights: root cause and corrective action on closing; indexes the report queries need (P24)

Revision ID: 0040_insights
Revises: 0021_offer_terms
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0040_insights"
down_revision: str | Sequence[str] | None = "0021_offer_terms"
branch_labels: str | Sequence[str] | None = None
# The reminders and follow-ups tables come from the cadence branch.
depends_on: str | Sequence[str] | None = "0004_cadence"


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("root_cause", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("what_we_change", sa.Text(), nullable=False, server_default=""))
        batch.create_index("ix_cases_workspace_id_created_at", ["workspace_id", "created_at"], unique=False)
        batch.create_index("ix_cases_workspace_id_resolved_at", ["workspace_id", "resolved_at"], unique=False)
    op.create_index("ix_reminders_case_id_level", "reminders", ["case_id", "level"], unique=False)
    op.create_index("ix_case_events_case_id_kind", "case_events", ["case_id", "kind"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_case_events_case_id_kind", table_name="case_events")
    op.drop_index("ix_reminders_case_id_level", table_name="reminders")
    with op.batch_alter_table("cases") as batch:
        batch.drop_index("ix_cases_workspace_id_resolved_at")
        batch.drop_index("ix_cases_workspace_id_created_at")
        batch.drop_column("what_we_change")
        batch.drop_column("root_cause")
