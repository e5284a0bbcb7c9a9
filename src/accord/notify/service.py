"""Write notifications to the outbox in the caller's transaction; deliver them after commit."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy.orm import Session

from accord.clock import now
from accord.db import insert_once
from accord.notify import repository, transports
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
    sent = 0
    for row in repository.due_rows(db, now(), limit=limit):
        sent += deliver_one(db, row)
    return sent


def list_outbox(db: Session, *, case_id: int | None = None, state: str | None = None) -> list[OutboxMessage]:
    """Outbox rows, newest first, optionally for one case or in one state."""
    return repository.outbox_rows(db, case_id=case_id, state=state)
