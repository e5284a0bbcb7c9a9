"""Write notifications to the outbox in the caller's transaction; deliver them after commit."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.clock import now
from accord.notify import transports
from accord.notify.models import TRANSPORTS, OutboxMessage

MAX_ATTEMPTS = 5
BASE_BACKOFF = timedelta(seconds=30)


def enqueue(
    db: Session,
    *,
    key: str,
    recipient: str,
    subject: str = "",
    body: str = "",
    transport: str = "email",
    payload: dict[str, Any] | None = None,
    workspace_id: int | None = None,
    case_id: int | None = None,
) -> OutboxMessage | None:
    """Add one outbox row; a second row with the same key is refused, so nothing goes out twice."""
    if transport not in TRANSPORTS:
        raise ValueError(f"unknown transport {transport!r}")
    values = {
        "key": key[:250],
        "recipient": recipient,
        "subject": subject[:500],
        "body": body,
        "transport": transport,
        "payload": payload or {},
        "workspace_id": workspace_id,
        "case_id": case_id,
        "next_attempt_at": now(),
        "created_at": now(),
    }
    row: OutboxMessage | None = insert_once(db, OutboxMessage, values, "key")
    return row


def backoff(attempts: int) -> timedelta:
    """Exponential backoff between delivery attempts: 30s, 1m, 2m, 4m..."""
    return BASE_BACKOFF * (2 ** max(attempts - 1, 0))


def _attempt(row: OutboxMessage) -> None:
    if row.transport == "email":
        transports.send_email(to=row.recipient, subject=row.subject, body=row.body)
    else:
        transports.post_webhook(url=row.recipient, payload=row.payload)


def deliver_one(db: Session, row: OutboxMessage) -> bool:
    """Try one row; on failure schedule a retry, or mark it failed for good with the error kept."""
    row.attempts += 1
    try:
        _attempt(row)
    except transports.DeliveryError as exc:
        row.last_error = str(exc)[:2000]
        if exc.permanent or row.attempts >= MAX_ATTEMPTS:
            row.state = "failed"
        else:
            row.next_attempt_at = now() + backoff(row.attempts)
        db.flush()
        return False
    row.state, row.sent_at, row.last_error = "sent", now(), ""
    db.flush()
    return True


def deliver_pending(db: Session, *, limit: int = 100) -> int:
    """Send what is due; rows are locked on PostgreSQL so two workers never send the same row."""
    stmt = (
        select(OutboxMessage)
        .where(OutboxMessage.state == "pending", OutboxMessage.next_attempt_at <= now())
        .order_by(OutboxMessage.id)
        .limit(limit)
    )
    if db.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True)
    sent = 0
    for row in db.scalars(stmt).all():
        sent += deliver_one(db, row)
    return sent


def list_outbox(db: Session, *, case_id: int | None = None, state: str | None = None) -> list[OutboxMessage]:
    """Outbox rows, newest first, optionally for one case or in one state."""
    stmt = select(OutboxMessage).order_by(OutboxMessage.id.desc())
    if case_id is not None:
        stmt = stmt.where(OutboxMessage.case_id == case_id)
    if state is not None:
        stmt = stmt.where(OutboxMessage.state == state)
    return list(db.scalars(stmt).all())


def insert_once(db: Session, model: Any, values: dict[str, Any], unique: str) -> Any | None:
    """INSERT ... ON CONFLICT DO NOTHING: the new row, or None when `unique` already exists.

    No savepoint: on SQLite a savepoint opened before the first write commits on release, which
    would split the sweep's transaction; a guarded insert keeps it whole on both databases.
    """
    if db.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        stmt: Any = pg_insert(model)
    else:
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        stmt = sqlite_insert(model)
    stmt = stmt.values(**values).on_conflict_do_nothing(index_elements=[unique]).returning(model.id)
    new_id = db.scalar(stmt)
    return None if new_id is None else db.get(model, new_id)
