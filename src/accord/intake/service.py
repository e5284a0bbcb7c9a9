"""Intake: every message becomes or joins a case, and nothing is silently dropped (P3).

The verbs live in small modules (messages, receive, outbound, threading); this is the one door the
surfaces and other domains use.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from accord.cases import service as cases
from accord.cases.models import Case
from accord.clients import service as clients
from accord.clients.models import Client
from accord.errors import Invalid, NotFound
from accord.intake import attachments as files
from accord.intake import repository
from accord.intake.manual import (  # noqa: F401  (by-hand intake: New case page, Add a message)
    MAX_EML_BYTES,
    CaseByHand,
    ReviewDetails,
    inbound_message_ids,
    looks_like_email,
    open_case_by_hand,
    open_case_from_email,
    open_case_from_text,
    propose_title,
    record_client_message,
    title_for_paste,
)
from accord.intake.messages import (  # noqa: F401  (the verbs surfaces call through this module)
    add_inbound_message,
    add_outbound_message,
    case_of_message,
    list_messages,
    open_case_from_message,
)
from accord.intake.models import Attachment, Message
from accord.intake.outbound import client_address, send_to_client  # noqa: F401
from accord.intake.receive import UNMATCHED_CLIENT, receive_email, unmatched_client  # noqa: F401
from accord.notify import service as notify
from accord.users.access import ActorLike, require_same_workspace, require_write

STATE_NAMES = {"pending": "queued", "sent": "sent", "failed": "failed"}


def receive_form(
    db: Session, *, client: Client, title: str, body: str, sender: str = "", channel: str = "form"
) -> Message:
    """A complaint from a web form, review, chat or call note always opens a case (P3)."""
    _, message = open_case_from_message(
        db, actor=None, client=client, title=title, body=body, channel=channel, sender=sender, subject=title
    )
    assert message is not None
    return message


def find_thread(db: Session, *, workspace_id: int, message_ids: list[str]) -> Case | None:
    """The case an email belongs to, from its In-Reply-To/References ids (threading, P3)."""
    for message_id in message_ids:
        found = repository.message_by_email_id(db, workspace_id, message_id)
        if found is not None and found.case_id is not None:
            return db.get(Case, found.case_id)
    return None


def find_message(db: Session, *, workspace_id: int, email_message_id: str) -> Message | None:
    """The stored message with this Message-ID (or content key), for idempotent imports."""
    return repository.message_by_email_id(db, workspace_id, email_message_id)


@dataclass
class MessageView:
    """A message as every surface shows it: who, to whom, its delivery state and its attachments."""

    id: int
    direction: str
    channel: str
    kind: str
    sender: str
    to: str
    subject: str
    body: str
    state: str
    state_reason: str
    email_message_id: str | None
    in_reply_to: str | None
    parse_error: str
    created_at: datetime
    attachments: list[dict[str, object]] = field(default_factory=list)


def _state(db: Session, message: Message) -> tuple[str, str]:
    """Outbound email: the outbox row's state (queued, sent, failed + why); inbound: received."""
    if message.direction == "inbound":
        return "received", ""
    row = notify.get_outbox(db, outbox_id=message.outbox_id) if message.outbox_id else None
    if row is None:
        return "recorded", ""
    return STATE_NAMES.get(row.state, row.state), row.last_error if row.state != "sent" else ""


def _attachment_dict(row: Attachment) -> dict[str, object]:
    return {
        "id": row.id,
        "filename": row.filename,
        "content_type": row.content_type,
        "size": row.size,
        "sha256": row.sha256,
        "stored": row.stored,
        "problem": row.problem,
    }


def _view(db: Session, m: Message, found: list[Attachment]) -> MessageView:
    state, reason = _state(db, m)
    files = [_attachment_dict(a) for a in found if a.message_id == m.id]
    return MessageView(
        m.id,
        m.direction,
        m.channel,
        m.kind,
        m.sender,
        m.recipients,
        m.subject,
        m.body,
        state,
        reason,
        m.email_message_id,
        m.in_reply_to,
        m.parse_error,
        m.created_at,
        files,
    )


def view_messages(db: Session, *, actor: ActorLike | None, case: Case) -> list[MessageView]:
    """The case's thread in order, with channel, delivery state and attachments (P3, P22, P23)."""
    messages = repository.messages_of(db, case.id)
    found = repository.attachments_of(db, [m.id for m in messages])
    return [_view(db, m, found) for m in messages]


def view_message(db: Session, *, message: Message) -> MessageView:
    """One message as the surfaces show it (e.g. the reply just queued)."""
    return _view(db, message, repository.attachments_of(db, [message.id]))


def unmatched_mail(db: Session, *, actor: ActorLike | None, workspace_id: int) -> list[Message]:
    """Machine mail that answers nothing we know (the loose part of the Unmatched queue)."""
    return repository.loose_messages(db, workspace_id)


def unmatched_queue(
    db: Session, *, actor: ActorLike | None, workspace_id: int
) -> dict[str, list[dict[str, object]]]:
    """The Unmatched queue: cases from unknown senders, and machine mail that answers nothing (P3)."""
    try:  # a read: the catch-all client is not created here
        holder = clients.get_client(db, actor=actor, workspace_id=workspace_id, key=UNMATCHED_CLIENT)
    except NotFound:
        holder = None
    found = cases.client_history(db, client_id=holder.id) if holder is not None else []
    loose = unmatched_mail(db, actor=actor, workspace_id=workspace_id)
    first = repository.first_inbound(db, [c.id for c in found])
    return {
        "cases": [
            {
                "reference": c.reference,
                "title": c.title,
                "status": c.status,
                "sender": first[c.id].sender if c.id in first else "",
                "excerpt": first[c.id].body[:280] if c.id in first else "",
                "created_at": c.created_at.isoformat(),
            }
            for c in found
        ],
        "messages": [
            {
                "id": m.id,
                "kind": m.kind,
                "sender": m.sender,
                "subject": m.subject,
                "created_at": m.created_at.isoformat(),
            }
            for m in loose
        ],
    }


def move_to_client(db: Session, *, actor: ActorLike | None, case: Case, client: Client) -> Case:
    """Put a case from the Unmatched queue on its real client; its senders become contacts (P3)."""
    require_write(actor)
    require_same_workspace(actor, client.workspace_id, "Client")
    known = {c.email.lower() for c in client.contacts if c.email}
    senders = dict.fromkeys(m.sender for m in repository.messages_of(db, case.id) if m.direction == "inbound")
    added = [s for s in senders if "@" in s and s.lower() not in known]
    cases.change_client(
        db, actor=actor, case=case, client=client, note=f"Contacts added: {', '.join(added)}" if added else ""
    )
    for sender in added:
        clients.add_contact(db, actor=actor, client=client, name=sender.split("@")[0], email=sender)
    return case


def move_to_named_client(
    db: Session, *, actor: ActorLike | None, case: Case, name: str, create: bool = False
) -> Case:
    """Move a case to the client a person typed (created on the spot when asked), as `move_to_client`."""
    client = clients.pick_client(db, actor=actor, workspace_id=case.workspace_id, name=name, create=create)
    assert client is not None  # required=True: a blank name was refused
    if client.id == case.client_id:
        raise Invalid(
            f"{case.reference} is already on {client.name}; pick another client.", detail={"field": "Client"}
        )
    return move_to_client(db, actor=actor, case=case, client=client)


def get_attachment(
    db: Session, *, actor: ActorLike | None, workspace_id: int, attachment_id: int
) -> tuple[Attachment, bytes]:
    """An attachment's row and bytes for a signed-in member of the case's workspace (rule 8)."""
    row = repository.attachment_by_id(db, attachment_id)
    message = repository.message_by_id(db, row.message_id) if row is not None else None
    if row is None or message is None or message.workspace_id != workspace_id:
        raise NotFound("No such attachment.")
    require_same_workspace(actor, workspace_id, "Attachment")
    data = files.read_attachment(row)
    if data is None:
        raise NotFound(f"{row.filename} was not kept: {row.problem or 'the file is missing'}.")
    return row, data
