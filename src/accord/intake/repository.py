"""All queries for messages, attachments and mailboxes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from accord.intake.models import Attachment, Mailbox, Message


def messages_of(db: Session, case_id: int) -> list[Message]:
    """A case's messages, oldest first."""
    stmt = select(Message).where(Message.case_id == case_id).order_by(Message.created_at, Message.id)
    return list(db.scalars(stmt))


def message_by_email_id(db: Session, workspace_id: int, email_message_id: str) -> Message | None:
    """The message with this RFC 5322 Message-ID in the workspace (for threading and dedupe)."""
    stmt = (
        select(Message)
        .where(Message.workspace_id == workspace_id, Message.email_message_id == email_message_id)
        .order_by(Message.id)
        .limit(1)
    )
    return db.scalar(stmt)


def message_by_id(db: Session, message_id: int) -> Message | None:
    """Find a message by id."""
    return db.get(Message, message_id)


def recent_inbound_from(db: Session, workspace_id: int, sender: str, since: datetime) -> list[Message]:
    """What this sender wrote on cases since `since`, newest first (same-subject threading)."""
    stmt = (
        select(Message)
        .where(
            Message.workspace_id == workspace_id,
            Message.direction == "inbound",
            Message.sender == sender,
            Message.case_id.is_not(None),
            Message.created_at >= since,
        )
        .order_by(Message.id.desc())
        .limit(50)
    )
    return list(db.scalars(stmt))


def last_client_email(db: Session, case_id: int) -> Message | None:
    """The client's last email on a case written by a person (what our reply answers)."""
    stmt = (
        select(Message)
        .where(
            Message.case_id == case_id,
            Message.direction == "inbound",
            Message.kind.in_(("message", "thanks")),
            Message.sender.contains("@"),
        )
        .order_by(Message.id.desc())
        .limit(1)
    )
    return db.scalar(stmt)


def sender_wrote_on(db: Session, case_id: int, sender: str) -> bool:
    """Whether this address already wrote on the case."""
    stmt = select(Message.id).where(
        Message.case_id == case_id, Message.direction == "inbound", Message.sender == sender
    )
    return db.scalar(stmt.limit(1)) is not None


def first_inbound(db: Session, case_ids: list[int]) -> dict[int, Message]:
    """Each case's first message from the client, in one query (the Unmatched page shows who wrote)."""
    if not case_ids:
        return {}
    first = (
        select(func.min(Message.id))
        .where(Message.case_id.in_(case_ids), Message.direction == "inbound")
        .group_by(Message.case_id)
    )
    return {m.case_id: m for m in db.scalars(select(Message).where(Message.id.in_(first))) if m.case_id}


def loose_messages(db: Session, workspace_id: int) -> list[Message]:
    """Machine mail that answers nothing we know: the Unmatched queue's loose part, newest first."""
    stmt = (
        select(Message)
        .where(Message.workspace_id == workspace_id, Message.case_id.is_(None))
        .order_by(Message.id.desc())
        .limit(200)
    )
    return list(db.scalars(stmt))


def attachments_of(db: Session, message_ids: list[int]) -> list[Attachment]:
    """The attachments of these messages, in arrival order."""
    if not message_ids:
        return []
    stmt = select(Attachment).where(Attachment.message_id.in_(message_ids)).order_by(Attachment.id)
    return list(db.scalars(stmt))


def attachment_by_id(db: Session, attachment_id: int) -> Attachment | None:
    """Find an attachment by id."""
    return db.get(Attachment, attachment_id)


def mailboxes_in(db: Session, workspace_id: int | None = None) -> list[Mailbox]:
    """Configured mailboxes, of one workspace or of all."""
    stmt = select(Mailbox).order_by(Mailbox.id)
    if workspace_id is not None:
        stmt = stmt.where(Mailbox.workspace_id == workspace_id)
    return list(db.scalars(stmt))
