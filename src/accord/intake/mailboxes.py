"""Mailboxes configured once and polled by the worker every minute (P3: mail arrives without a person)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from accord.clock import now
from accord.errors import Invalid, NotFound
from accord.intake import repository
from accord.intake.mailbox import ImapAccount
from accord.intake.models import TLS_MODES, Mailbox
from accord.text import clean_text
from accord.users.access import ActorLike, require_role
from accord.users.auth import record_audit

MANAGERS = ("owner", "lead")


def add_mailbox(
    db: Session,
    *,
    actor: ActorLike | None,
    workspace_id: int,
    host: str,
    port: int,
    user: str,
    password: str,
    folder: str = "INBOX",
    tls: str = "ssl",
) -> Mailbox:
    """Remember an IMAP folder to poll; the password is stored for the worker and never shown back."""
    require_role(actor, MANAGERS, "add a mailbox")
    if tls not in TLS_MODES:
        raise Invalid(f"Unknown TLS mode '{tls}'. Use one of: {', '.join(TLS_MODES)}.")
    if not 1 <= port <= 65535:
        raise Invalid(f"Port {port} is not between 1 and 65535.")
    if not password:
        raise Invalid("A mailbox needs a password (ACCORD_IMAP_PASSWORD or the prompt).")
    row = Mailbox(
        workspace_id=workspace_id,
        host=clean_text(host, field="Host", max_chars=255, required=True),
        port=port,
        user=clean_text(user, field="User", max_chars=320, required=True),
        password=password[:500],
        folder=clean_text(folder, field="Folder", max_chars=255, required=True),
        tls=tls,
        last_error="",
        created_at=now(),
    )
    db.add(row)
    db.flush()
    if actor is not None:
        detail = f"{row.user} on {row.host}:{row.port}/{row.folder}"
        record_audit(db, workspace_id=workspace_id, actor=actor.name, action="mailbox_added", detail=detail)
    return row


def list_mailboxes(db: Session, *, actor: ActorLike | None, workspace_id: int) -> list[Mailbox]:
    """The workspace's mailboxes with when each was last read and its last error."""
    return repository.mailboxes_in(db, workspace_id)


def remove_mailbox(db: Session, *, actor: ActorLike | None, workspace_id: int, mailbox_id: int) -> Mailbox:
    """Stop polling a mailbox; mail already imported stays."""
    require_role(actor, MANAGERS, "remove a mailbox")
    row = db.get(Mailbox, mailbox_id)
    if row is None or row.workspace_id != workspace_id:
        raise NotFound(f"No mailbox {mailbox_id}.")
    db.delete(row)
    db.flush()
    if actor is not None:
        detail = f"{row.user} on {row.host}:{row.port}/{row.folder}"
        record_audit(db, workspace_id=workspace_id, actor=actor.name, action="mailbox_removed", detail=detail)
    return row


def all_mailboxes(db: Session) -> list[Mailbox]:
    """Every workspace's mailboxes, for the worker's poll."""
    return repository.mailboxes_in(db)


def account_of(row: Mailbox) -> ImapAccount:
    """The connection details of a configured mailbox."""
    return ImapAccount(
        host=row.host, port=row.port, user=row.user, password=row.password, folder=row.folder, tls=row.tls
    )


def record_poll(db: Session, *, mailbox_id: int, error: str) -> None:
    """When the mailbox was last read, and the one-line error if reading it failed."""
    row = db.get(Mailbox, mailbox_id)
    if row is not None:
        row.last_polled_at, row.last_error = now(), error[:1000]
        db.flush()
