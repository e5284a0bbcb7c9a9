"""All queries for messages."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.cases.models import Case
from accord.intake.models import Message


def messages_of(db: Session, case_id: int) -> list[Message]:
    """A case's messages, oldest first."""
    stmt = select(Message).where(Message.case_id == case_id).order_by(Message.created_at, Message.id)
    return list(db.scalars(stmt))


def message_by_email_id(db: Session, workspace_id: int, email_message_id: str) -> Message | None:
    """The message with this RFC 5322 Message-ID in the workspace (for threading and dedupe)."""
    stmt = (
        select(Message)
        .join(Case, Case.id == Message.case_id)
        .where(Case.workspace_id == workspace_id, Message.email_message_id == email_message_id)
        .limit(1)
    )
    return db.scalar(stmt)


def message_by_id(db: Session, message_id: int) -> Message | None:
    """Find a message by id."""
    return db.get(Message, message_id)
