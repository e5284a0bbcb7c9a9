"""offer terms: lifecycle, counters, costs, expiry; client rate, toxic flag and ending (P19-P21, P24)

Revision ID: 0021_offer_terms
Revises: 0006_offers
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021_offer_terms"
down_revision: str | Sequence[str] | None = "0006_offers"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("offers") as batch:
        batch.add_column(sa.Column("client_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("parent_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("origin", sa.String(length=10), nullable=False, server_default="us"))
        batch.add_column(sa.Column("custom", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("unit", sa.String(length=20), nullable=False, server_default=""))
        batch.add_column(sa.Column("currency", sa.String(length=3), nullable=False, server_default=""))
        batch.add_column(sa.Column("cost", sa.Numeric(precision=12, scale=2), nullable=True))
        batch.add_column(sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True))
        batch.create_foreign_key(batch.f("fk_offers_client_id_clients"), "clients", ["client_id"], ["id"])
        batch.create_foreign_key(batch.f("fk_offers_parent_id_offers"), "offers", ["parent_id"], ["id"])
        batch.create_index(batch.f("ix_offers_client_id"), ["client_id"], unique=False)
        batch.create_index(batch.f("ix_offers_expires_at"), ["expires_at"], unique=False)
    # Existing offers belong to their case's client (yearly caps count them).
    op.execute(
        "UPDATE offers SET client_id = (SELECT cases.client_id FROM cases WHERE cases.id = offers.case_id)"
    )
    with op.batch_alter_table("offers") as batch:
        for name in ("origin", "custom", "unit", "currency"):
            batch.alter_column(name, server_default=None)
    with op.batch_alter_table("clients") as batch:
        batch.add_column(
            sa.Column("hourly_rate", sa.Numeric(precision=10, scale=2), nullable=False, server_default="0")
        )
        batch.add_column(sa.Column("toxic", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("ended_reason", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("clients") as batch:
        for name in ("hourly_rate", "toxic", "ended_reason"):
            batch.alter_column(name, server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("clients") as batch:
        for name in ("ended_at", "ended_reason", "toxic", "hourly_rate"):
            batch.drop_column(name)
    with op.batch_alter_table("offers") as batch:
        batch.drop_index(batch.f("ix_offers_expires_at"))
        batch.drop_index(batch.f("ix_offers_client_id"))
        batch.drop_constraint(batch.f("fk_offers_parent_id_offers"), type_="foreignkey")
        batch.drop_constraint(batch.f("fk_offers_client_id_clients"), type_="foreignkey")
        for name in ("expires_at", "cost", "currency", "unit", "custom", "origin", "parent_id", "client_id"):
            batch.drop_column(name)
