"""desk links: a step ticked by an event names the event; a sent reply keeps its coach score (issue 20)

Revision ID: 0055_desk_links
Revises: 0003_playbook
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0055_desk_links"
down_revision: str | Sequence[str] | None = "0003_playbook"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("step_runs") as batch:
        batch.add_column(sa.Column("done_by_event_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            batch.f("fk_step_runs_done_by_event_id_case_events"),
            "case_events",
            ["done_by_event_id"],
            ["id"],
            ondelete="SET NULL",  # a lost event leaves the tick, without its link
        )
    with op.batch_alter_table("messages") as batch:
        batch.add_column(sa.Column("coach_score", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("messages") as batch:
        batch.drop_column("coach_score")
    with op.batch_alter_table("step_runs") as batch:
        batch.drop_constraint(batch.f("fk_step_runs_done_by_event_id_case_events"), type_="foreignkey")
        batch.drop_column("done_by_event_id")
