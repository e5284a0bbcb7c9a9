"""Mail out to the client: stored as an outbound message and queued in the outbox in one transaction.

Every mail carries its own Message-ID on our domain, In-Reply-To/References pointing at the client's
last message, the case reference in the subject, and `Auto-Submitted: auto-generated` when no person
wrote it, so the client's answer threads back to the case (P3) and auto-responders stay quiet (RFC 3834).
Sending the first mail acknowledges a new case (P6); each mail restarts the update clock (P22).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from accord.cases import service as cases
from accord.cases import steps
from accord.cases.models import Case
from accord.clients.models import Client
from accord.errors import Conflict, Invalid
from accord.intake import repository
from accord.intake.messages import _new_message
from accord.intake.models import Message
from accord.intake.quotes import REF_TAG, reply_subject
from accord.notify import service as notify
from accord.text import clean_text
from accord.users.access import ActorLike, require_write

MAX_REFERENCES = 20


def client_address(db: Session, *, case: Case) -> str:
    """Where the client hears from us: the last person who wrote on the case, else a contact's email."""
    last = repository.last_client_email(db, case.id)
    if last is not None:
        return last.sender
    client = db.get(Client, case.client_id)
    return next((c.email for c in (client.contacts if client else []) if c.email), "")


def thread_headers(db: Session, *, case: Case) -> dict[str, str]:
    """In-Reply-To and References that point at the client's last message (RFC 5322 section 3.6.4)."""
    last = repository.last_client_email(db, case.id)
    if last is None or not last.email_message_id:
        return {}
    chain = [*last.references.split(), last.email_message_id][-MAX_REFERENCES:]
    return {"In-Reply-To": last.email_message_id, "References": " ".join(dict.fromkeys(chain))}


def _subject(db: Session, case: Case, subject: str | None) -> str:
    if subject:
        return subject if REF_TAG.search(subject) else f"{subject} [{case.reference}]"
    last = repository.last_client_email(db, case.id)
    return reply_subject(last.subject if last is not None else case.title, case.reference)


def _acknowledge_if_new(db: Session, *, actor: ActorLike | None, case: Case) -> None:
    """P6: the first mail to the client on a new case is its acknowledgement."""
    if case.status != "new":
        return
    try:
        cases.acknowledge_case(
            db, actor=actor, case=case, note="Acknowledged by our first email to the client."
        )
    except Conflict:  # the playbook holds acknowledgement behind a step; the mail still goes out
        return


def send_to_client(
    db: Session,
    *,
    actor: ActorLike | None,
    case: Case,
    body: str,
    subject: str | None = None,
    automatic: bool = False,
    key: str | None = None,
    event_data: dict[str, Any] | None = None,
) -> Message:
    """Store the mail on the thread and queue it for SMTP delivery; the worker sends it after commit."""
    require_write(actor)
    to = client_address(db, case=case)
    if "@" not in to:
        raise Invalid(f"{case.reference} has no client email address: add a contact with an email first.")
    subject = _subject(db, case, clean_text(subject, field="Subject", max_chars=400))
    headers = thread_headers(db, case=case) | ({"Auto-Submitted": "auto-generated"} if automatic else {})
    message = _new_message(
        case=case,
        direction="outbound",
        channel="email",
        subject=subject,
        body=body,
        sender="" if actor is None else actor.name,
        author_id=None if actor is None else actor.id,
    )
    message.recipients, message.references = to, headers.get("References", "")
    message.in_reply_to = headers.get("In-Reply-To")
    db.add(message)
    db.flush()
    row = notify.enqueue(
        db,
        key=key or f"message:{message.id}",
        recipient=to,
        subject=subject,
        body=message.body,
        headers=headers,
        automatic=automatic,
        workspace_id=case.workspace_id,
        case_id=case.id,
    )
    if row is None:
        raise Invalid(f"This mail was already queued ({key}).")
    message.outbox_id, message.email_message_id = row.id, str(row.payload["headers"]["Message-ID"])
    _acknowledge_if_new(db, actor=actor, case=case)
    steps.record_and_follow(  # P6: our reply ticks "Acknowledge quickly"
        db,
        case=case,
        kind="message_sent",
        actor=actor,
        data={
            "message_id": message.id,
            "channel": "email",
            "to": to,
            "automatic": automatic,
            "by_spokesperson": actor is not None and actor.id == case.owner_id,
            **(event_data or {}),
        },
    )
    return message
