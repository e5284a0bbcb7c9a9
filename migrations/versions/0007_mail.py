"""mail: threading headers, delivery link and kind on messages; attachments; mailboxes (P3, P22)

Revision ID: 0007_mail
Revises: 0004_cadence
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_mail"
down_revision: str | Sequence[str] | None = "0004_cadence"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("workspace_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("kind", sa.String(length=20), nullable=False, server_default="message"))
        batch_op.add_column(sa.Column("references", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("outbox_id", sa.Integer(), nullable=True))
        batch_op.alter_column("case_id", existing_type=sa.Integer(), nullable=True)
        batch_op.create_index(batch_op.f("ix_messages_workspace_id"), ["workspace_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_messages_outbox_id"), ["outbox_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_messages_workspace_id_workspaces"), "workspaces", ["workspace_id"], ["id"]
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_messages_outbox_id_outbox"), "outbox", ["outbox_id"], ["id"]
        )
    op.execute(
        "UPDATE messages SET workspace_id = (SELECT cases.workspace_id FROM cases WHERE cases.id = messages.case_id)"
    )
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.alter_column("kind", server_default=None)
        batch_op.alter_column("references", server_default=None)

    op.create_table(
        "attachments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("stored", sa.Boolean(), nullable=False),
        sa.Column("problem", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["message_id"], ["messages.id"], name=op.f("fk_attachments_message_id_messages")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attachments")),
    )
    with op.batch_alter_table("attachments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_attachments_message_id"), ["message_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_attachments_sha256"), ["sha256"], unique=False)

    op.create_table(
        "mailboxes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("host", sa.String(length=255), nullable=False),
        sa.Column("port", sa.Integer(), nullable=False),
        sa.Column("user", sa.String(length=320), nullable=False),
        sa.Column("password", sa.String(length=500), nullable=False),
        sa.Column("folder", sa.String(length=255), nullable=False),
        sa.Column("tls", sa.String(length=10), nullable=False),
        sa.Column("last_polled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"], ["workspaces.id"], name=op.f("fk_mailboxes_workspace_id_workspaces")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mailboxes")),
    )
    with op.batch_alter_table("mailboxes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_mailboxes_workspace_id"), ["workspace_id"], unique=False)


def downgrade() -> None:
    op.drop_table("mailboxes")
    op.drop_table("attachments")
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_messages_outbox_id_outbox"), type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("fk_messages_workspace_id_workspaces"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_messages_outbox_id"))
        batch_op.drop_index(batch_op.f("ix_messages_workspace_id"))
        batch_op.alter_column("case_id", existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column("outbox_id")
        batch_op.drop_column("references")
        batch_op.drop_column("kind")
        batch_op.drop_column("workspace_id")
