"""The whole mail loop on real servers (dovecot IMAP, aiosmtpd SMTP), and crashes at the worst moments.

A client's mail opens a case; our reply reaches the SMTP server with threading headers; the client's
answer, built from what was sent, joins the same case; an auto-reply to it opens nothing (P3, P6, P22).
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.message import Message as Parsed

from imap_tools import MailBoxUnencrypted
from sqlalchemy import func, select

from accord.cases import service as cases
from accord.cases.models import Case
from accord.clients import service as clients
from accord.clock import frozen, now
from accord.coach import service as coach
from accord.db import session_scope
from accord.intake import mailboxes
from accord.intake import service as intake
from accord.intake.mailbox import ImapAccount
from accord.intake.models import Message
from accord.jobs.mail import poll_mailboxes, send_queued
from accord.notify.models import OutboxMessage
from accord.triage import repository as triage_queue
from tests.intake.conftest import Inbox
from tests.intake.test_mail_out import GOOD_REPLY
from tests.intake.test_receive import mail


def _append(account: ImapAccount, raw: bytes) -> None:
    with MailBoxUnencrypted(account.host, port=account.port).login(account.user, account.password) as box:
        box.append(raw, "INBOX", dt=datetime.now(UTC), flag_set=[])


def _seen(account: ImapAccount) -> list[bool]:
    with MailBoxUnencrypted(account.host, port=account.port).login(account.user, account.password) as box:
        return ["\\Seen" in m.flags for m in box.fetch(mark_seen=False)]


def _setup(workspace_id: int, account: ImapAccount) -> None:
    with session_scope() as db:
        clients.add_client(
            db, actor=None, workspace_id=workspace_id, name="Acme", email_domains=["acme.example"]
        )
        mailboxes.add_mailbox(
            db,
            actor=None,
            workspace_id=workspace_id,
            host=account.host,
            port=account.port,
            user=account.user,
            password=account.password,
            tls="none",
        )


def _answer_to(sent: Parsed, body: str, **extra: str) -> bytes:
    """What Carla's mail program writes when she answers our mail."""
    msg = EmailMessage()
    msg["From"], msg["To"] = "Carla <carla@acme.example>", str(sent["From"])
    msg["Subject"] = f"Re: {sent['Subject']}"
    msg["Message-ID"] = f"<answer-{len(body)}-{len(extra)}@acme.example>"
    msg["Date"] = "Thu, 03 Dec 2026 10:00:00 +0000"
    msg["In-Reply-To"] = str(sent["Message-ID"])
    msg["References"] = f"{sent['References']} {sent['Message-ID']}"
    for name, value in extra.items():
        del msg[name.replace("_", "-")]
        msg[name.replace("_", "-")] = value
    msg.set_content(body)
    return msg.as_bytes()


def _cases_and_messages() -> tuple[int, int]:
    with session_scope() as db:
        return (
            db.scalar(select(func.count()).select_from(Case)) or 0,
            db.scalar(select(func.count()).select_from(Message)) or 0,
        )


def test_round_trip(workspace_id: int, imap_account: ImapAccount, smtp: Inbox) -> None:
    _setup(workspace_id, imap_account)
    _append(imap_account, mail("<first@acme.example>", "Our October retainer was charged twice."))
    assert poll_mailboxes().stored == 1
    with session_scope() as db:
        [case] = db.scalars(select(Case)).all()
        coach.send_reply(db, actor=None, case=case, body=GOOD_REPLY)
        reference = case.reference
    assert send_queued().sent == 1
    [sent] = smtp.messages
    assert sent["In-Reply-To"] == "<first@acme.example>" and sent["References"] == "<first@acme.example>"
    assert f"[{reference}]" in sent["Subject"]
    _append(imap_account, _answer_to(sent, "Thank you, but when exactly will the refund arrive?"))
    _append(
        imap_account,
        _answer_to(
            sent,
            "I am out of the office until Monday.",
            Auto_Submitted="auto-replied",
            Subject=f"Automatic reply: {sent['Subject']}",
        ),
    )
    assert poll_mailboxes().stored == 2
    assert _cases_and_messages() == (1, 4) and _seen(imap_account) == [True, True, True]
    with session_scope() as db:
        case = cases.get_case(db, actor=None, workspace_id=workspace_id, reference=reference)
        kinds = [(v.direction, v.kind) for v in intake.view_messages(db, actor=None, case=case)]
        untriaged = set(triage_queue.untriaged_inbound(db, 100))
        auto = db.scalar(select(Message).where(Message.kind == "auto_reply"))
        assert auto is not None and auto.id not in untriaged
        assert case.status == "acknowledged"
    assert kinds == [
        ("inbound", "message"),
        ("outbound", "message"),
        ("inbound", "message"),
        ("inbound", "auto_reply"),
    ]
    assert len(smtp.messages) == 1  # nothing answered the auto-reply


def _crash_run(code: str) -> subprocess.CompletedProcess[str]:
    """Run `code` in a fresh Python process that dies (os._exit) at the patched moment."""
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=dict(os.environ), timeout=120
    )


DIE_BEFORE_SEEN = """
import os, imap_tools.mailbox as m
def die(*a, **k):
    os._exit(9)
m.BaseMailBox.flag = die
from accord.jobs.mail import poll_mailboxes
poll_mailboxes()
"""

DIE_AFTER_SMTP = """
import os
from accord.notify import transports
real = transports.send_email
def send_then_die(**kw):
    real(**kw)
    os._exit(9)
transports.send_email = send_then_die
from accord.jobs.mail import send_queued
send_queued()
"""


def test_killed_between_commit_and_marking_seen_imports_nothing_twice(
    workspace_id: int, imap_account: ImapAccount
) -> None:
    _setup(workspace_id, imap_account)
    _append(imap_account, mail("<crash-imap@acme.example>", "The invoice is wrong."))
    crashed = _crash_run(DIE_BEFORE_SEEN)
    assert crashed.returncode == 9, crashed.stderr
    assert _cases_and_messages() == (1, 1) and _seen(imap_account) == [False]  # committed, never marked seen
    assert poll_mailboxes().stored == 1  # the re-poll finds it again: already stored, now marked seen
    assert _cases_and_messages() == (1, 1) and _seen(imap_account) == [True]
    assert poll_mailboxes().stored == 0


def test_killed_between_smtp_acceptance_and_recording_sent_resends_once_with_the_same_id(
    workspace_id: int, smtp: Inbox
) -> None:
    with session_scope() as db:
        clients.add_client(
            db, actor=None, workspace_id=workspace_id, name="Acme", email_domains=["acme.example"]
        )
        message = intake.receive_email(db, workspace_id=workspace_id, raw=mail("<crash-smtp@acme.example>"))
        coach.send_reply(db, actor=None, case=intake.case_of_message(db, message=message), body=GOOD_REPLY)
    crashed = _crash_run(DIE_AFTER_SMTP)
    assert crashed.returncode == 9, crashed.stderr
    assert len(smtp.messages) == 1
    with session_scope() as db:
        row = db.scalars(select(OutboxMessage)).one()
        assert (row.state, row.attempts) == ("pending", 1)  # the server has it; we could not record that
    assert send_queued().sent == 0  # leased: not resent at once
    with frozen(now() + timedelta(minutes=6)):
        assert send_queued().sent == 1
    with frozen(now() + timedelta(hours=1)):
        assert send_queued().sent == 0
    first, second = smtp.messages
    assert first["Message-ID"] == second["Message-ID"]  # mail programs show it once
    with session_scope() as db:
        assert db.scalars(select(OutboxMessage)).one().state == "sent"
