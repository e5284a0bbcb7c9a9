"""Raw email in: stored once, on the right case, machine mail kept but quiet, nothing dropped (P3, P23)."""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy.orm import Session

from accord.cases import service as cases
from accord.cases.models import Case
from accord.cases.timeline import record_event
from accord.clients import service as clients
from accord.clients.models import Client
from accord.config import get_settings
from accord.errors import NotFound
from accord.intake import attachments, repository, threading
from accord.intake.email import ParsedEmail, parse_email
from accord.intake.messages import add_inbound_message
from accord.intake.models import Message
from accord.intake.noise import is_thanks
from accord.intake.quotes import new_text
from accord.notify import service as notify

UNMATCHED_CLIENT = "Unmatched senders"
_DONE = ("resolved", "closed")
NOISE = ("auto_reply", "bounce")


def unmatched_client(db: Session, *, workspace_id: int) -> Client:
    """The catch-all client for senders we do not know yet, created on first need (P3: never dropped)."""
    try:
        return clients.get_client(db, actor=None, workspace_id=workspace_id, key=UNMATCHED_CLIENT)
    except NotFound:
        return clients.add_client(db, actor=None, workspace_id=workspace_id, name=UNMATCHED_CLIENT)


def email_key(parsed: ParsedEmail, raw: bytes) -> str:
    """The Message-ID, or a digest of the raw bytes so a resent copy still dedupes."""
    return parsed.message_id or f"<sha256-{hashlib.sha256(raw).hexdigest()[:40]}@accord.invalid>"


def _body(parsed: ParsedEmail) -> str:
    return parsed.body.strip() or "(The email had no readable text.)"


def _fields(parsed: ParsedEmail, key: str) -> dict[str, Any]:
    return {
        "sender": parsed.sender,
        "subject": parsed.subject,
        "email_message_id": key,
        "in_reply_to": parsed.in_reply_to,
        "references": " ".join(parsed.references)[:5000],
    }


def _mark_bounced(db: Session, *, workspace_id: int, parsed: ParsedEmail, case: Case) -> None:
    """A bounce of our own mail marks that outbound message failed, with the server's reason, on the case."""
    for message_id in parsed.bounced_ids:
        ours = repository.message_by_email_id(db, workspace_id, message_id)
        if ours is None or ours.direction != "outbound" or ours.outbox_id is None:
            continue
        notify.mark_bounced(db, outbox_id=ours.outbox_id, reason=parsed.bounce_reason)
        record_event(
            db,
            case=case,
            kind="message_bounced",
            actor=None,
            data={"message_id": ours.id, "to": ours.recipients, "reason": parsed.bounce_reason},
        )


def _store_noise(
    db: Session, *, workspace_id: int, case: Case | None, parsed: ParsedEmail, key: str
) -> Message:
    """Auto-replies and bounces: on the thread they answer, else loose in Unmatched; never a new case."""
    problems = "; ".join(parsed.problems)
    if case is not None:
        if parsed.kind == "bounce":
            _mark_bounced(db, workspace_id=workspace_id, parsed=parsed, case=case)
        return add_inbound_message(
            db,
            actor=None,
            case=case,
            body=_body(parsed),
            channel="email",
            kind=parsed.kind,
            parse_error=problems,
            **_fields(parsed, key),
        )
    message = Message(
        workspace_id=workspace_id,
        case_id=None,
        direction="inbound",
        channel="email",
        kind=parsed.kind,
        body=_body(parsed)[: get_settings().max_message_chars],
        parse_error=problems,
        **_fields(parsed, key),
    )
    db.add(message)
    db.flush()
    return message


def _new_case(db: Session, *, workspace_id: int, parsed: ParsedEmail) -> Case:
    """A known sender's client gets the case; anyone else goes to the Unmatched queue (P3)."""
    found = clients.find_client_for_sender(db, workspace_id=workspace_id, email=parsed.sender)
    client = found if parsed.sender and found else unmatched_client(db, workspace_id=workspace_id)
    title = parsed.subject[: get_settings().max_title_chars].strip()
    title = title or f"Email from {parsed.sender or 'an unknown sender'}"
    return cases.open_case(db, actor=None, client=client, title=title, channel="email")


def _kind_on(db: Session, *, case: Case, parsed: ParsedEmail) -> str:
    """P23: a short thank-you on a finished case stays a thank-you; anything else reopens it."""
    if case.status not in _DONE:
        return "message"
    if is_thanks(new_text(parsed.body)):
        return "thanks"
    cases.reopen_case(
        db,
        actor=None,
        case=case,
        note=f"Reopened because {parsed.sender or 'the client'} wrote again by email.",
    )
    return "message"


def receive_email(db: Session, *, workspace_id: int, raw: bytes) -> Message:
    """Raw email -> a message on a new or threaded case; the same email twice is stored once (P3)."""
    return import_email(db, workspace_id=workspace_id, raw=raw)[0]


def import_email(db: Session, *, workspace_id: int, raw: bytes) -> tuple[Message, bool]:
    """Like receive_email, also saying whether the email was new (False: stored before, nothing changed)."""
    parsed = parse_email(raw)
    key = email_key(parsed, raw)
    existing = repository.message_by_email_id(db, workspace_id, key)
    if existing is not None:
        return existing, False
    case, how = threading.thread_case(db, workspace_id=workspace_id, parsed=parsed)
    if parsed.kind in NOISE:
        message = _store_noise(db, workspace_id=workspace_id, case=case, parsed=parsed, key=key)
    else:
        kind = _kind_on(db, case=case, parsed=parsed) if case is not None else "message"
        case = case or _new_case(db, workspace_id=workspace_id, parsed=parsed)
        message = add_inbound_message(
            db,
            actor=None,
            case=case,
            body=_body(parsed),
            channel="email",
            kind=kind,
            parse_error="; ".join(parsed.problems),
            event_data={"threaded_by": how or "new case"},
            **_fields(parsed, key),
        )
    problems = attachments.keep_attachments(db, message=message, parts=parsed.attachments)
    if problems:
        message.parse_error = "; ".join([p for p in (message.parse_error, *problems) if p])
        db.flush()
    return message, True
