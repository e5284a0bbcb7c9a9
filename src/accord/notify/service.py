"""Write notifications to the outbox in the caller's transaction; deliver them after commit."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy.orm import Session

from accord.clock import now
from accord.config import get_settings
from accord.db import insert_once
from accord.notify import repository, transports
from accord.notify.models import TRANSPORTS, OutboxMessage

MAX_ATTEMPTS = 5
BASE_BACKOFF = timedelta(seconds=30)
LEASE = timedelta(minutes=5)  # how long a claimed row is left alone before it is due again


def new_message_id(key: str) -> str:
    """A Message-ID on our domain, fixed when the row is written so every resend reuses it (RFC 5322)."""
    digest = hashlib.sha256(key.encode()).hexdigest()[:16]
    return f"<{digest}.{secrets.token_hex(8)}@{get_settings().mail_domain}>"


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
    headers: dict[str, str] | None = None,
    automatic: bool = True,
) -> OutboxMessage | None:
    """Add one outbox row; a second row with the same key is refused, so nothing goes out twice.

    An email row gets its Message-ID now (unless `headers` bring one): a resend after a crash between
    the server's acceptance and our record of it carries the same id, so mail clients show it once.
    """
    if transport not in TRANSPORTS:
        raise ValueError(f"unknown transport {transport!r}")
    payload = dict(payload or {})
    if transport == "email":  # RFC 3834: what no person wrote says so, and auto-responders stay quiet
        marked = {"Auto-Submitted": "auto-generated"} if automatic else {}
        payload["headers"] = {"Message-ID": new_message_id(key), **marked, **(headers or {})}
    values = {
        "key": key[:250],
        "recipient": recipient,
        "subject": subject[:500],
        "body": body,
        "transport": transport,
        "payload": payload,
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


@dataclass(frozen=True)
class Envelope:
    """A claimed row's content, so the network call runs outside any database transaction."""

    id: int
    transport: str
    recipient: str
    subject: str
    body: str
    payload: dict[str, Any]


def attempt(envelope: Envelope) -> transports.DeliveryError | None:
    """One delivery attempt; the error instead of raising, so the caller records it."""
    try:
        if envelope.transport == "email":
            headers = {str(k): str(v) for k, v in dict(envelope.payload.get("headers") or {}).items()}
            transports.send_email(
                to=envelope.recipient, subject=envelope.subject, body=envelope.body, headers=headers
            )
        else:
            transports.post_webhook(url=envelope.recipient, payload=envelope.payload)
    except transports.DeliveryError as exc:
        return exc
    return None


def due_ids(db: Session, *, limit: int = 100) -> list[int]:
    """Ids of rows due for an attempt, oldest first."""
    return repository.due_ids(db, now(), limit=limit)


def claim(db: Session, *, outbox_id: int) -> Envelope | None:
    """Take a due row for one attempt: counted and leased before sending (commit this, then send).

    The lease keeps other workers off it; if this process dies mid-send the row becomes due again when
    the lease ends, and the resend carries the same Message-ID. The claim is one guarded UPDATE, so of two
    workers exactly one gets the row, on SQLite and PostgreSQL alike.
    """
    row = repository.claim_row(db, outbox_id, now(), now() + LEASE)
    if row is None:
        return None
    return Envelope(row.id, row.transport, row.recipient, row.subject, row.body, dict(row.payload or {}))


def record_attempt(db: Session, *, outbox_id: int, error: transports.DeliveryError | None) -> bool:
    """Store what the attempt did: sent, a retry after backoff, or `failed` for good with the reason."""
    row = db.get(OutboxMessage, outbox_id)
    if row is None:
        return False
    if error is None:
        row.state, row.sent_at, row.last_error = "sent", now(), ""
        db.flush()
        return True
    row.last_error = str(error)[:2000]
    if error.permanent or row.attempts >= MAX_ATTEMPTS:
        row.state = "failed"
    else:
        row.next_attempt_at = now() + backoff(row.attempts)
    db.flush()
    return False


def deliver_one(db: Session, row: OutboxMessage) -> bool:
    """Claim, attempt and record one row in the caller's transaction (tests and small batches)."""
    envelope = claim(db, outbox_id=row.id)
    if envelope is None:
        return False
    return record_attempt(db, outbox_id=row.id, error=attempt(envelope))


def deliver_pending(db: Session, *, limit: int = 100) -> int:
    """Send what is due in one transaction; the worker uses claim/attempt/record per row instead."""
    sent = 0
    for outbox_id in due_ids(db, limit=limit):
        row = db.get(OutboxMessage, outbox_id)
        if row is not None:
            sent += deliver_one(db, row)
    return sent


def mark_bounced(db: Session, *, outbox_id: int, reason: str) -> OutboxMessage | None:
    """A bounce came back for this mail: it is `failed` with the server's reason, and never resent."""
    row = db.get(OutboxMessage, outbox_id)
    if row is None:
        return None
    row.state, row.last_error = "failed", f"bounced: {reason}"[:2000]
    db.flush()
    return row


def get_outbox(db: Session, *, outbox_id: int) -> OutboxMessage | None:
    """One outbox row (for the delivery state shown beside a message)."""
    return db.get(OutboxMessage, outbox_id)


def list_outbox(db: Session, *, case_id: int | None = None, state: str | None = None) -> list[OutboxMessage]:
    """Outbox rows, newest first, optionally for one case or in one state."""
    return repository.outbox_rows(db, case_id=case_id, state=state)
