"""All outbox queries: rows due for delivery, rows for a case or in a state."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.notify.models import OutboxMessage


def due_rows(db: Session, at: datetime, *, limit: int) -> list[OutboxMessage]:
    """Pending rows due by `at`, oldest first; locked on PostgreSQL so two workers never take the same row."""
    stmt = (
        select(OutboxMessage)
        .where(OutboxMessage.state == "pending", OutboxMessage.next_attempt_at <= at)
        .order_by(OutboxMessage.id)
        .limit(limit)
    )
    if db.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True)
    return list(db.scalars(stmt).all())


def outbox_rows(db: Session, *, case_id: int | None = None, state: str | None = None) -> list[OutboxMessage]:
    """Outbox rows, newest first, optionally for one case or in one state."""
    stmt = select(OutboxMessage).order_by(OutboxMessage.id.desc())
    if case_id is not None:
        stmt = stmt.where(OutboxMessage.case_id == case_id)
    if state is not None:
        stmt = stmt.where(OutboxMessage.state == state)
    return list(db.scalars(stmt).all())


def due_ids(db: Session, at: datetime, *, limit: int) -> list[int]:
    """Ids of pending rows due by `at`, oldest first (each is then claimed in its own transaction)."""
    stmt = (
        select(OutboxMessage.id)
        .where(OutboxMessage.state == "pending", OutboxMessage.next_attempt_at <= at)
        .order_by(OutboxMessage.id)
        .limit(limit)
    )
    return list(db.scalars(stmt))


def claimable_row(db: Session, outbox_id: int, at: datetime) -> OutboxMessage | None:
    """The row when it is still pending and due; locked SKIP LOCKED on PostgreSQL (another worker has it)."""
    stmt = select(OutboxMessage).where(
        OutboxMessage.id == outbox_id, OutboxMessage.state == "pending", OutboxMessage.next_attempt_at <= at
    )
    if db.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True)
    return db.scalar(stmt)
