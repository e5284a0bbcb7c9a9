"""Which case an inbound email joins, in a fixed order (P3): never by subject alone across senders.

1. In-Reply-To/References against every message we stored or sent;
2. an [ACC-n] tag in the subject, only when the sender belongs to that case's client;
3. the same sender and the same normalised subject on an open case within 14 days.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from accord.cases import service as cases
from accord.cases.models import Case
from accord.cases.transitions import OPEN_STATUSES
from accord.clients import service as clients
from accord.clock import now
from accord.errors import NotFound
from accord.intake import repository
from accord.intake.email import ParsedEmail
from accord.intake.models import Message
from accord.intake.quotes import case_number_in, normalise_subject

SAME_SUBJECT_WINDOW = timedelta(days=14)


def by_headers(db: Session, *, workspace_id: int, ids: list[str]) -> Message | None:
    """The nearest stored or sent message these ids name (nearest parent first)."""
    for message_id in ids:
        found = repository.message_by_email_id(db, workspace_id, message_id)
        if found is not None:
            return found
    return None


def sender_belongs(db: Session, *, case: Case, sender: str) -> bool:
    """The sender is the case's client (contact or domain) or already wrote on this case."""
    if not sender:
        return False
    client = clients.find_client_for_sender(db, workspace_id=case.workspace_id, email=sender)
    return (client is not None and client.id == case.client_id) or repository.sender_wrote_on(
        db, case.id, sender
    )


def by_reference(db: Session, *, workspace_id: int, parsed: ParsedEmail) -> Case | None:
    """The case an [ACC-n] subject tag names, when the sender belongs to its client."""
    number = case_number_in(parsed.subject)
    if number is None:
        return None
    try:
        case = cases.get_case(db, actor=None, workspace_id=workspace_id, reference=str(number))
    except NotFound:
        return None
    return case if sender_belongs(db, case=case, sender=parsed.sender) else None


def by_subject(db: Session, *, workspace_id: int, parsed: ParsedEmail) -> Case | None:
    """An open case where the same sender wrote the same subject in the last 14 days."""
    subject = normalise_subject(parsed.subject)
    if not parsed.sender or not subject:
        return None
    since = now() - SAME_SUBJECT_WINDOW
    for message in repository.recent_inbound_from(db, workspace_id, parsed.sender, since):
        if normalise_subject(message.subject) != subject:
            continue
        case = db.get(Case, message.case_id)
        if case is not None and case.status in OPEN_STATUSES:
            return case
    return None


def thread_case(db: Session, *, workspace_id: int, parsed: ParsedEmail) -> tuple[Case | None, str]:
    """The case this email joins and how it was found ('headers', 'reference', 'subject'), or (None, '')."""
    found = by_headers(db, workspace_id=workspace_id, ids=parsed.thread_ids + parsed.bounced_ids)
    if found is not None and found.case_id is not None:
        return db.get(Case, found.case_id), "headers"
    case = by_reference(db, workspace_id=workspace_id, parsed=parsed)
    if case is not None:
        return case, "reference"
    case = by_subject(db, workspace_id=workspace_id, parsed=parsed)
    return (case, "subject") if case is not None else (None, "")
