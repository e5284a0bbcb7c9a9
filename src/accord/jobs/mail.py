"""Mail jobs: deliver the outbox one row per transaction, poll every configured mailbox (P3, P22).

Each outbox row is claimed and committed before the network call, then its result is committed: a
crash between the server's acceptance and our record resends at most once, with the same Message-ID.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from accord.cases.models import Case
from accord.db import session_scope
from accord.intake import mailboxes, receive
from accord.intake.mailbox import MailboxError, poll_imap
from accord.notify import service as notify

log = logging.getLogger("accord.jobs.mail")


@dataclass
class SendResult:
    """What one delivery run did."""

    sent: int = 0
    retrying: int = 0
    failed: list[str] = field(default_factory=list)


def send_queued(*, limit: int = 200) -> SendResult:
    """Deliver what is due now: claim (commit), send outside any transaction, record (commit)."""
    result = SendResult()
    with session_scope() as db:
        ids = notify.due_ids(db, limit=limit)
    for outbox_id in ids:
        with session_scope() as db:
            envelope = notify.claim(db, outbox_id=outbox_id)
        if envelope is None:  # another worker has it
            continue
        error = notify.attempt(envelope)
        with session_scope() as db:
            sent = notify.record_attempt(db, outbox_id=outbox_id, error=error)
            row = notify.get_outbox(db, outbox_id=outbox_id)
            state = row.state if row is not None else "failed"
        if sent:
            result.sent += 1
        elif state == "failed":
            result.failed.append(f"{envelope.recipient}: {error}")
        else:
            result.retrying += 1
    return result


@dataclass
class PollSummary:
    """What one poll of all mailboxes did: stored messages and one line per failing mailbox."""

    stored: int = 0
    errors: list[str] = field(default_factory=list)


def poll_mailboxes() -> PollSummary:
    """Read every configured mailbox once; one bad mailbox never stops the others."""
    summary = PollSummary()
    with session_scope() as db:
        boxes = [(m.id, m.workspace_id, mailboxes.account_of(m)) for m in mailboxes.all_mailboxes(db)]
    for mailbox_id, workspace_id, account in boxes:
        error = ""
        try:
            summary.stored += len(poll_imap(account, workspace_id=workspace_id).stored)
        except MailboxError as exc:
            error = exc.message
            summary.errors.append(error)
            log.warning("mailbox %s: %s", account.where, error)
        with session_scope() as db:
            mailboxes.record_poll(db, mailbox_id=mailbox_id, error=error)
    return summary


@dataclass
class ImportResult:
    """What an import of many raw emails did; `failed` names each one that could not be stored."""

    stored: int = 0
    duplicates: int = 0
    failed: list[str] = field(default_factory=list)
    placed: list[str] = field(default_factory=list)


def _import_one(workspace_id: int, raw: bytes, result: ImportResult, label: str) -> None:
    try:
        with session_scope() as db:
            message, new = receive.import_email(db, workspace_id=workspace_id, raw=raw)
            where = f"on {case.reference}" if (case := db.get(Case, message.case_id or 0)) else "in Unmatched"
            problems = f" Problems: {message.parse_error}" if message.parse_error else ""
            result.placed.append(
                f"{label}: message {message.id} {where}{'' if new else ' (already known)'}.{problems}"
            )
    except Exception as exc:  # one bad email is reported and the rest go on; nothing else is lost
        result.failed.append(f"{label}: {type(exc).__name__}: {str(exc)[:200]}")
        return
    if new:
        result.stored += 1
    else:
        result.duplicates += 1


def import_emails(
    *, workspace_id: int, raws: Iterable[tuple[str, bytes]], progress: Callable[[], None] | None = None
) -> ImportResult:
    """Import raw emails (files, mbox), one transaction each: idempotent by Message-ID or content hash."""
    result = ImportResult()
    for label, raw in raws:
        _import_one(workspace_id, raw, result, label)
        if progress is not None:
            progress()
    return result
