"""Storing messages on cases: the one writer of the messages table (P3, rule 2)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from accord.cases import service as cases
from accord.cases import steps
from accord.cases.models import CHANNELS, Case
from accord.cases.timeline import record_event
from accord.clients.models import Client
from accord.config import get_settings
from accord.errors import Invalid, NotFound
from accord.intake import repository
from accord.intake.models import Message
from accord.text import clean_text
from accord.users.access import ActorLike, require_write


def _new_message(
    *,
    case: Case,
    direction: str,
    channel: str,
    sender: str,
    subject: str,
    body: str,
    email_message_id: str | None = None,
    in_reply_to: str | None = None,
    author_id: int | None = None,
    parse_error: str = "",
) -> Message:
    if channel not in CHANNELS:
        raise Invalid(f"Unknown channel '{channel}'. Channels: {', '.join(CHANNELS)}.")
    limit = get_settings().max_message_chars
    return Message(
        workspace_id=case.workspace_id,
        case_id=case.id,
        direction=direction,
        channel=channel,
        sender=clean_text(sender, field="Sender", max_chars=320),
        subject=clean_text(subject, field="Subject", max_chars=500),
        body=clean_text(body, field="Message", max_chars=limit, required=True),
        email_message_id=email_message_id,
        in_reply_to=in_reply_to,
        author_id=author_id,
        parse_error=parse_error,
    )


def add_inbound_message(
    db: Session,
    *,
    actor: ActorLike | None,
    case: Case,
    body: str,
    channel: str = "email",
    sender: str = "",
    subject: str = "",
    email_message_id: str | None = None,
    in_reply_to: str | None = None,
    parse_error: str = "",
    kind: str = "message",
    references: str = "",
    event_data: dict[str, Any] | None = None,
) -> Message:
    """Store what the client said on an existing case and note it on the timeline."""
    require_write(actor)
    message = _new_message(
        case=case,
        direction="inbound",
        channel=channel,
        sender=sender,
        subject=subject,
        body=body,
        email_message_id=email_message_id,
        in_reply_to=in_reply_to,
        parse_error=parse_error,
    )
    message.kind, message.references = kind, references
    db.add(message)
    db.flush()
    # machine mail is recorded under its own kind: it must not end a waiting-on-client pause (P22)
    event = "message_received" if kind in ("message", "thanks") else f"{kind}_received"
    data = {"message_id": message.id, "channel": channel, "sender": message.sender, **(event_data or {})}
    record_event(db, case=case, kind=event, actor=actor, data=data)
    return message


def add_outbound_message(
    db: Session,
    *,
    actor: ActorLike | None,
    case: Case,
    body: str,
    channel: str = "email",
    recipients: str = "",
    subject: str = "",
    event_data: dict[str, Any] | None = None,
) -> Message:
    """Record a reply we sent; P7: the timeline notes who spoke for us (event_data: e.g. the coach check)."""
    require_write(actor)
    message = _new_message(
        case=case,
        direction="outbound",
        channel=channel,
        sender="" if actor is None else actor.name,
        subject=subject,
        body=body,
        author_id=None if actor is None else actor.id,
    )
    message.recipients = clean_text(recipients, field="Recipients", max_chars=2000)
    db.add(message)
    db.flush()
    steps.record_and_follow(  # P6: our reply ticks "Acknowledge quickly"
        db,
        case=case,
        kind="message_sent",
        actor=actor,
        data={
            "message_id": message.id,
            "channel": channel,
            "by_spokesperson": actor is not None and actor.id == case.owner_id,
            **(event_data or {}),
        },
    )
    return message


def open_case_from_message(
    db: Session,
    *,
    actor: ActorLike | None,
    client: Client,
    title: str,
    body: str,
    channel: str = "manual",
    sender: str = "",
    subject: str = "",
    kind: str = "client_raised",
    severity: int | None = None,
    category: str | None = None,
    email_message_id: str | None = None,
) -> tuple[Case, Message | None]:
    """Open a case and, when there is text, store it as the first message (P3)."""
    case = cases.open_case(
        db,
        actor=actor,
        client=client,
        title=title,
        kind=kind,
        channel=channel,
        severity=severity,
        category=category,
    )
    message = None
    if body and body.strip():
        message = add_inbound_message(
            db,
            actor=actor,
            case=case,
            body=body,
            channel=channel,
            sender=sender,
            subject=subject or title,
            email_message_id=email_message_id,
        )
    return case, message


def list_messages(db: Session, *, actor: ActorLike | None, case: Case) -> list[Message]:
    """A case's messages, oldest first."""
    return repository.messages_of(db, case.id)


def case_of_message(db: Session, *, message: Message) -> Case:
    """The case a message belongs to (for surfaces that show where an email went)."""
    case = db.get(Case, message.case_id) if message.case_id is not None else None
    if case is None:
        raise NotFound(f"Message {message.id} is in the Unmatched queue, on no case.")
    return case
