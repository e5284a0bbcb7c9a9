"""Intake: every message becomes or joins a case, and nothing is silently dropped (P3)."""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy.orm import Session

from accord.cases import service as cases
from accord.cases.models import CHANNELS, Case
from accord.cases.timeline import record_event
from accord.clients import service as clients
from accord.clients.models import Client
from accord.config import get_settings
from accord.errors import Invalid, NotFound
from accord.intake import repository
from accord.intake.email import ParsedEmail, parse_email
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
    db.add(message)
    db.flush()
    record_event(
        db,
        case=case,
        kind="message_received",
        actor=actor,
        data={"message_id": message.id, "channel": channel, "sender": message.sender},
    )
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
    record_event(
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


def find_thread(db: Session, *, workspace_id: int, message_ids: list[str]) -> Case | None:
    """The case an email belongs to, from its In-Reply-To/References ids (threading, P3)."""
    for message_id in message_ids:
        found = repository.message_by_email_id(db, workspace_id, message_id)
        if found is not None:
            return db.get(Case, found.case_id)
    return None


UNMATCHED_CLIENT = "Unmatched senders"
_REOPEN_FROM = ("resolved", "closed")


def _unmatched_client(db: Session, *, workspace_id: int) -> Client:
    """The catch-all client for senders we do not know yet, created on first need (P3: never dropped)."""
    try:
        return clients.get_client(db, actor=None, workspace_id=workspace_id, key=UNMATCHED_CLIENT)
    except NotFound:
        return clients.add_client(db, actor=None, workspace_id=workspace_id, name=UNMATCHED_CLIENT)


def _email_key(parsed: ParsedEmail, raw: bytes) -> str:
    """The Message-ID, or a digest of the raw bytes so a resent copy still dedupes."""
    return parsed.message_id or f"<sha256-{hashlib.sha256(raw).hexdigest()[:40]}@accord.invalid>"


def _reopen_if_done(db: Session, *, case: Case, sender: str) -> None:
    """P23: the door stays open; a client writing on a finished case reopens it, saying why."""
    if case.status in _REOPEN_FROM:
        note = f"Reopened because {sender or 'the client'} wrote again by email."
        cases.reopen_case(db, actor=None, case=case, note=note)


def _case_for_email(db: Session, *, workspace_id: int, parsed: ParsedEmail) -> Case | None:
    """A case this email threads into (In-Reply-To/References), if any."""
    return find_thread(db, workspace_id=workspace_id, message_ids=parsed.thread_ids)


def receive_email(db: Session, *, workspace_id: int, raw: bytes) -> Message:
    """Raw email -> a message on a new or threaded case; a repeat is stored once (P3)."""
    parsed = parse_email(raw)
    key = _email_key(parsed, raw)
    existing = repository.message_by_email_id(db, workspace_id, key)
    if existing is not None:
        return existing
    body = parsed.body.strip() or "(The email had no readable text.)"
    problems = "; ".join(parsed.problems)
    case = _case_for_email(db, workspace_id=workspace_id, parsed=parsed)
    if case is not None:
        _reopen_if_done(db, case=case, sender=parsed.sender)
        return add_inbound_message(
            db,
            actor=None,
            case=case,
            body=body,
            channel="email",
            sender=parsed.sender,
            subject=parsed.subject,
            email_message_id=key,
            in_reply_to=parsed.in_reply_to,
            parse_error=problems,
        )
    found = clients.find_client_for_sender(db, workspace_id=workspace_id, email=parsed.sender)
    client = found if parsed.sender and found else _unmatched_client(db, workspace_id=workspace_id)
    title = parsed.subject[: get_settings().max_title_chars].strip()
    title = title or f"Email from {parsed.sender or 'an unknown sender'}"
    case = cases.open_case(db, actor=None, client=client, title=title, channel="email")
    return add_inbound_message(
        db,
        actor=None,
        case=case,
        body=body,
        channel="email",
        sender=parsed.sender,
        subject=parsed.subject,
        email_message_id=key,
        in_reply_to=parsed.in_reply_to,
        parse_error=problems,
    )


def receive_form(
    db: Session, *, client: Client, title: str, body: str, sender: str = "", channel: str = "form"
) -> Message:
    """A complaint from a web form, review, chat or call note always opens a case (P3)."""
    _, message = open_case_from_message(
        db, actor=None, client=client, title=title, body=body, channel=channel, sender=sender, subject=title
    )
    assert message is not None
    return message


def case_of_message(db: Session, *, message: Message) -> Case:
    """The case a message belongs to (for surfaces that show where an email went)."""
    case = db.get(Case, message.case_id)
    if case is None:
        raise NotFound(f"Message {message.id} has no case.")
    return case
