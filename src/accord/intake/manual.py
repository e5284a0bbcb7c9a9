"""Messages a person brings in by hand: a pasted or uploaded email, a call note, a chat, a review (P3).

The New case page and the case page's "Add a message" form call these verbs. A pasted email with its
headers, or an .eml file, goes through the same parser as the mailbox (`intake.email.parse_email`), so
its sender, subject, Message-ID and attachments are kept as if it had arrived by mail.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from sqlalchemy.orm import Session

from accord.cases.models import CHANNELS, Case
from accord.clients import service as clients
from accord.clients.models import Client
from accord.config import get_settings
from accord.errors import Conflict, Invalid
from accord.intake import attachments, repository
from accord.intake.email import ParsedEmail, parse_email
from accord.intake.messages import add_inbound_message, open_case_from_message
from accord.intake.models import Message
from accord.intake.quotes import bare_subject, new_text
from accord.intake.receive import email_key, unmatched_client
from accord.text import clean_text
from accord.users.access import ActorLike, require_write

_HEADER = re.compile(r"^[A-Za-z][A-Za-z0-9-]{1,40}:\s")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s")
MAX_EML_BYTES = 10 * 1024 * 1024  # an uploaded email file; mail with larger attachments comes by IMAP
TITLE_WORDS = 80  # characters: a proposed title is one short line


@dataclass(frozen=True)
class ReviewDetails:
    """Where a public review was left, its stars and its address (kept on the message and the timeline)."""

    platform: str = ""
    rating: int | None = None
    link: str = ""


@dataclass(frozen=True)
class CaseByHand:
    """A case a person opens: the client by name (created if asked), the channel and the text or file."""

    client: str = ""
    create_client: bool = False
    client_domain: str = ""
    channel: str = "email"
    sender: str = ""
    text: str = ""
    title: str = ""
    review: ReviewDetails | None = None


def propose_title(text: str, subject: str = "") -> str:
    """A case title from what the client wrote: the subject without Re:/Fwd:, else the first sentence."""
    base = bare_subject(subject)
    if not base:
        fresh = new_text(text or "") or (text or "")
        first = next((line.strip() for line in fresh.splitlines() if line.strip()), "")
        base = _SENTENCE_END.split(first, maxsplit=1)[0]
    base = " ".join(base.split())
    if len(base) > TITLE_WORDS:
        base = base[:TITLE_WORDS].rsplit(" ", 1)[0].rstrip(",;:-") + "…"
    return base


def title_for_paste(text: str) -> str:
    """The title the New case page proposes: a pasted email's subject, else the text's first sentence."""
    if looks_like_email(text):
        parsed = parse_email(text.encode("utf-8"))
        return propose_title(parsed.body, parsed.subject)
    return propose_title(text)


def looks_like_email(text: str) -> bool:
    """True when pasted text starts with a block of mail headers that names a sender (From:).

    Every line of the first block must be a header (or a folded continuation), so a note that merely
    starts "Note: ..." or mentions "Subject:" stays a note.
    """
    head: list[str] = []
    for line in (text or "").lstrip().splitlines():
        if not line.strip():
            break
        head.append(line)
    if not head or any(not (_HEADER.match(line) or line[:1] in " \t") for line in head):
        return False
    return "from" in {line.split(":", 1)[0].lower() for line in head if _HEADER.match(line)}


def _review_subject(review: ReviewDetails) -> str:
    """'Review on Google, 2 of 5 stars': what the thread shows above the review's text."""
    platform = clean_text(review.platform, field="Platform", max_chars=100)
    if review.rating is not None and not 1 <= review.rating <= 5:
        raise Invalid("The rating is a number of stars from 1 to 5.", detail={"field": "Rating"})
    stars = f", {review.rating} of 5 stars" if review.rating is not None else ""
    return f"Review on {platform or 'a review site'}{stars}"


def _review_link(link: str) -> str:
    """Only a web address is kept as the review's link (it is shown as a link, so never javascript:)."""
    link = clean_text(link, field="Link", max_chars=400)
    parts = urlsplit(link)
    if link and (parts.scheme not in ("http", "https") or not parts.netloc):
        raise Invalid("The link must be a web address starting with https://.", detail={"field": "Link"})
    return link


def _review_data(channel: str, review: ReviewDetails | None) -> tuple[str, dict[str, object]]:
    """The subject and the timeline data a review carries; nothing for other channels."""
    if channel != "review" or review is None:
        return "", {}
    subject, link = _review_subject(review), _review_link(review.link)
    data: dict[str, object] = {"platform": review.platform.strip(), "rating": review.rating, "link": link}
    return (f"{subject} · {link}" if link else subject), data


def _channel(channel: str) -> str:
    if channel not in CHANNELS:
        raise Invalid(f"Choose how the message came in: {', '.join(CHANNELS)}.", detail={"field": "Channel"})
    return channel


def _not_seen(db: Session, *, workspace_id: int, key: str) -> None:
    """The same email twice opens one case: the second time says where the first went."""
    seen = repository.message_by_email_id(db, workspace_id, key)
    if seen is not None:
        where = db.get(Case, seen.case_id) if seen.case_id is not None else None
        place = f"case {where.reference}" if where is not None else "the Unmatched queue"
        raise Conflict(f"This email is already on {place}.", detail={"field": "Message"})


def _email_case(
    db: Session, *, actor: ActorLike | None, client: Client | None, parsed: ParsedEmail, key: str, title: str
) -> Case:
    """Open a case from a parsed email on the chosen client, else the sender's, else Unmatched (P3)."""
    workspace_id = actor.workspace_id if actor is not None else (client.workspace_id if client else 0)
    found = client or clients.find_client_for_sender(db, workspace_id=workspace_id, email=parsed.sender)
    owner = found or unmatched_client(db, workspace_id=workspace_id)
    body = parsed.body.strip() or "(The email had no readable text.)"
    case, message = open_case_from_message(
        db,
        actor=actor,
        client=owner,
        title=title.strip()
        or propose_title(body, parsed.subject)
        or f"Email from {parsed.sender or 'a client'}",
        body=body,
        channel="email",
        sender=parsed.sender,
        subject=parsed.subject,
        email_message_id=key,
    )
    assert message is not None
    problems = [
        *parsed.problems,
        *attachments.keep_attachments(db, message=message, parts=parsed.attachments),
    ]
    message.parse_error = "; ".join(p for p in problems if p)
    db.flush()
    return case


def open_case_from_email(
    db: Session, *, actor: ActorLike | None, client: Client | None, raw: bytes, title: str = ""
) -> Case:
    """An uploaded .eml (or a pasted email with its headers) becomes a case, parsed as intake parses mail."""
    require_write(actor)
    if not raw.strip():
        raise Invalid("The email file is empty.", detail={"field": "Email file"})
    if len(raw) > MAX_EML_BYTES:
        raise Invalid(
            "The email file is larger than 10 MB; import it with `accord intake email`.",
            detail={"field": "Email file"},
        )
    parsed = parse_email(raw)
    key = email_key(parsed, raw)
    workspace_id = actor.workspace_id if actor is not None else (client.workspace_id if client else 0)
    _not_seen(db, workspace_id=workspace_id, key=key)
    return _email_case(db, actor=actor, client=client, parsed=parsed, key=key, title=title)


def open_case_from_text(
    db: Session,
    *,
    actor: ActorLike | None,
    client: Client | None,
    channel: str,
    text: str,
    title: str = "",
    sender: str = "",
    review: ReviewDetails | None = None,
) -> Case:
    """A message typed or pasted on the New case page opens a case; triage reads it afterwards (P3, P4)."""
    require_write(actor)
    if channel == "email" and looks_like_email(text):
        return open_case_from_email(db, actor=actor, client=client, raw=text.encode("utf-8"), title=title)
    body = clean_text(text, field="Message", max_chars=get_settings().max_message_chars, required=True)
    if client is None:
        raise Invalid("Choose the client this is about, or create a new one.", detail={"field": "Client"})
    case, _ = open_case_from_message(
        db,
        actor=actor,
        client=client,
        title=title.strip() or propose_title(body),
        body="",
        channel=_channel(channel),
    )
    record_client_message(
        db, actor=actor, case=case, channel=channel, body=body, sender=sender, review=review
    )
    return case


def record_client_message(
    db: Session,
    *,
    actor: ActorLike | None,
    case: Case,
    channel: str,
    body: str,
    sender: str = "",
    review: ReviewDetails | None = None,
) -> Message:
    """Add what the client said on a call, in a chat or a review to an existing case (P3, timeline)."""
    require_write(actor)
    subject, data = _review_data(_channel(channel), review)
    message = add_inbound_message(
        db,
        actor=actor,
        case=case,
        body=body,
        channel=channel,
        sender=sender,
        subject=subject,
        event_data={"added_by_hand": True, **({"review": data} if data else {})},
    )
    return message


def open_case_by_hand(
    db: Session, *, actor: ActorLike | None, workspace_id: int, form: CaseByHand, raw: bytes | None = None
) -> Case:
    """The New case page's one verb: pick (or create) the client, then open the case from text or .eml.

    An email file may leave the client blank: the sender's client is found as intake finds it (P3).
    """
    require_write(actor)
    client = clients.pick_client(
        db,
        actor=actor,
        workspace_id=workspace_id,
        name=form.client,
        create=form.create_client,
        email_domain=form.client_domain,
        required=raw is None and not looks_like_email(form.text),
    )
    if raw is not None:
        return open_case_from_email(db, actor=actor, client=client, raw=raw, title=form.title)
    return open_case_from_text(
        db,
        actor=actor,
        client=client,
        channel=form.channel,
        text=form.text,
        title=form.title,
        sender=form.sender,
        review=form.review,
    )


def inbound_message_ids(db: Session, *, case: Case) -> list[int]:
    """The ids of what the client said on a case (to triage them right away)."""
    return [m.id for m in repository.messages_of(db, case.id) if m.direction == "inbound"]
