"""receive_email: every email becomes or joins a case, once; unknown senders are kept (P3, P23)."""

from __future__ import annotations

import hashlib
from email.message import EmailMessage
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from accord.cases import service as cases
from accord.cases.models import Case
from accord.config import get_settings
from accord.intake import attachments
from accord.intake import service as intake
from accord.intake.models import Attachment, Message
from tests.helpers import create_client, create_workspace


def mail(
    msg_id: str,
    body: str = "The invoice is wrong.",
    *,
    sender: str = "carla@acme.example",
    subject: str = "Invoice charged twice",
    reply_to: str | None = None,
) -> bytes:
    """One raw email from Carla (or `sender`)."""
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = "help@desk.example"
    msg["Subject"] = subject
    msg["Message-ID"] = msg_id
    msg["Date"] = "Thu, 03 Dec 2026 08:00:00 +0000"
    if reply_to:
        msg["In-Reply-To"] = reply_to
        msg["References"] = reply_to
    msg.set_content(body)
    return msg.as_bytes()


def _count(db: Session, model: type) -> int:
    return db.scalar(select(func.count()).select_from(model)) or 0


def test_email_from_known_domain_opens_a_case_for_that_client(db: Session) -> None:
    ws = create_workspace(db)
    client = create_client(db, ws)
    message = intake.receive_email(db, workspace_id=ws.id, raw=mail("<r1@acme.example>"))
    case = db.get(Case, message.case_id)
    assert case is not None and case.client_id == client.id
    assert (case.title, case.channel) == ("Invoice charged twice", "email")
    assert message.body == "The invoice is wrong."
    assert message.parse_error == ""


def test_same_email_twice_is_stored_once(db: Session) -> None:
    ws = create_workspace(db)
    create_client(db, ws)
    cases_before, messages_before = _count(db, Case), _count(db, Message)
    first = intake.receive_email(db, workspace_id=ws.id, raw=mail("<dup@acme.example>"))
    second = intake.receive_email(db, workspace_id=ws.id, raw=mail("<dup@acme.example>"))
    assert first.id == second.id
    assert (_count(db, Case), _count(db, Message)) == (cases_before + 1, messages_before + 1)


def test_email_without_message_id_still_dedupes_on_its_bytes(db: Session) -> None:
    ws = create_workspace(db)
    raw = b"From: carla@acme.example\nSubject: hi\n\nhello there"
    first = intake.receive_email(db, workspace_id=ws.id, raw=raw)
    assert intake.receive_email(db, workspace_id=ws.id, raw=raw).id == first.id
    assert "Message-ID" in first.parse_error


def test_reply_threads_into_the_existing_case(db: Session) -> None:
    ws = create_workspace(db)
    create_client(db, ws)
    first = intake.receive_email(db, workspace_id=ws.id, raw=mail("<t1@acme.example>"))
    reply = intake.receive_email(
        db,
        workspace_id=ws.id,
        raw=mail("<t2@acme.example>", "Any news?", subject="Re: x", reply_to="<t1@acme.example>"),
    )
    assert reply.case_id == first.case_id
    assert reply.in_reply_to == "<t1@acme.example>"


def test_unknown_sender_lands_on_the_unmatched_client_not_dropped(db: Session) -> None:
    ws = create_workspace(db)
    one = intake.receive_email(db, workspace_id=ws.id, raw=mail("<u1@x>", sender="stranger@nowhere.example"))
    two = intake.receive_email(db, workspace_id=ws.id, raw=mail("<u2@x>", sender="other@elsewhere.example"))
    case_one, case_two = db.get(Case, one.case_id), db.get(Case, two.case_id)
    assert case_one is not None and case_two is not None
    assert case_one.client_id == case_two.client_id
    assert one.sender == "stranger@nowhere.example"


def test_reply_on_a_closed_case_reopens_it_and_says_why(db: Session) -> None:
    ws = create_workspace(db)
    create_client(db, ws)
    first = intake.receive_email(db, workspace_id=ws.id, raw=mail("<c1@acme.example>"))
    case = db.get(Case, first.case_id)
    assert case is not None
    case.status = "closed"  # shortcut: the lifecycle itself is tested in tests/cases
    db.flush()
    intake.receive_email(
        db, workspace_id=ws.id, raw=mail("<c2@acme.example>", "It broke again.", reply_to="<c1@acme.example>")
    )
    assert case.status == "reopened"
    events = cases.list_events(db, actor=None, case=case)
    reopened = [e for e in events if e.kind == "status_changed" and e.data["to"] == "reopened"]
    assert "carla@acme.example wrote again" in reopened[0].data["note"]


def test_malformed_email_is_stored_with_its_problems(db: Session) -> None:
    ws = create_workspace(db)
    raw = b"From: <<<\nMessage-ID: <bad@x>\nContent-Type: text/plain; charset=utf-8\n\n\xff\xfe help"
    message = intake.receive_email(db, workspace_id=ws.id, raw=raw)
    assert "help" in message.body
    assert "Invalid UTF-8" in message.parse_error
    assert "No sender" in message.parse_error


def test_empty_email_still_opens_a_case(db: Session) -> None:
    ws = create_workspace(db)
    message = intake.receive_email(db, workspace_id=ws.id, raw=b"")
    assert message.body == "(The email had no readable text.)"
    case = db.get(Case, message.case_id)
    assert case is not None and case.title == "Email from an unknown sender"


def test_attachments_are_kept_on_disk_by_sha256_and_big_ones_are_listed_not_kept(
    sqlite_db: Session, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ACCORD_MAX_ATTACHMENT_BYTES", "1000")
    get_settings.cache_clear()
    ws = create_workspace(sqlite_db)
    create_client(sqlite_db, ws)
    msg = EmailMessage()
    msg["From"], msg["Subject"], msg["Message-ID"] = "carla@acme.example", "Scans", "<att1@acme.example>"
    msg.set_content("Both scans attached.")
    small, big = b"small scan" * 10, b"B" * 5000
    msg.add_attachment(small, maintype="image", subtype="png", filename="small.png")
    msg.add_attachment(big, maintype="application", subtype="pdf", filename="big.pdf")
    message = intake.receive_email(sqlite_db, workspace_id=ws.id, raw=msg.as_bytes())
    rows = sqlite_db.scalars(select(Attachment).where(Attachment.message_id == message.id)).all()
    assert [(a.filename, a.size, a.stored) for a in rows] == [
        ("small.png", 100, True),
        ("big.pdf", 5000, False),
    ]
    assert attachments.path_of(hashlib.sha256(small).hexdigest()).read_bytes() == small
    assert not attachments.path_of(hashlib.sha256(big).hexdigest()).exists()
    assert "big.pdf is 5000 bytes, over the 1000-byte limit; not kept." in message.parse_error
