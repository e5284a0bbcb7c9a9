"""All outbox queries: rows due for delivery, rows for a case or in a state."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from accord.notify.models import OutboxMessage


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


def claim_row(db: Session, outbox_id: int, at: datetime, lease_until: datetime) -> OutboxMessage | None:
    """Count an attempt and lease the row in one guarded UPDATE: of two workers, exactly one wins it."""
    claimed = db.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id == outbox_id,
            OutboxMessage.state == "pending",
            OutboxMessage.next_attempt_at <= at,
        )
        .values(attempts=OutboxMessage.attempts + 1, next_attempt_at=lease_until)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        return None
    row = db.get(OutboxMessage, outbox_id)
    if row is not None:
        db.refresh(row)
    return row
