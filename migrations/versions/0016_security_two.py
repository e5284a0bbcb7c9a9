"""security round two: session generations, token expiry, Unicode name keys, triage failures (issue 16)

Revision ID: 0016_security_two
Revises: 0005_security
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016_security_two"
down_revision: str | Sequence[str] | None = "0005_security"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = ("0002_triage",)


def _name_key(name: str) -> str:
    """Same rule as accord.text.name_key (copied: migrations never import app code)."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())[:200]


def _fill_name_keys() -> None:
    """Existing clients get their key; a second client with the same key keeps its own (suffixed) one."""
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT id, workspace_id, name FROM clients ORDER BY id")).fetchall()
    seen: set[tuple[int, str]] = set()
    for client_id, workspace_id, name in rows:
        key = _name_key(name)
        if (workspace_id, key) in seen:
            key = f"{key[:180]} #{client_id}"
        seen.add((workspace_id, key))
        conn.execute(sa.text("UPDATE clients SET name_key = :key WHERE id = :id"), {"key": key, "id": client_id})


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("session_generation", sa.Integer(), server_default="0", nullable=False))
    with op.batch_alter_table("api_tokens") as batch:
        batch.add_column(sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("triage_results") as batch:
        batch.add_column(sa.Column("status", sa.String(length=10), server_default="done", nullable=False))
        batch.add_column(sa.Column("error", sa.Text(), server_default="", nullable=False))
    with op.batch_alter_table("clients") as batch:
        batch.add_column(sa.Column("name_key", sa.String(length=200), server_default="", nullable=False))
    _fill_name_keys()
    with op.batch_alter_table("clients") as batch:
        batch.alter_column("name_key", server_default=None)
        batch.create_index("ix_clients_workspace_id_name_key", ["workspace_id", "name_key"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("clients") as batch:
        batch.drop_index("ix_clients_workspace_id_name_key")
        batch.drop_column("name_key")
    with op.batch_alter_table("triage_results") as batch:
        batch.drop_column("error")
        batch.drop_column("status")
    with op.batch_alter_table("api_tokens") as batch:
        batch.drop_column("expires_at")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("session_generation")
