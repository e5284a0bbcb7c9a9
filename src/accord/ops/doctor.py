"""`accord doctor`: every part Accord needs, checked in turn, each failure in plain words with the fix.

Runs the same checks as /readyz plus the mail servers (SMTP for replies and reminders; IMAP for each
mailbox the worker polls). It reads only: nothing is created, not even a missing database.
"""

from __future__ import annotations

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from accord.config import Settings
from accord.intake.mailbox import ImapAccount, MailboxError, open_mailbox
from accord.intake.models import Mailbox
from accord.ops import checks
from accord.ops.checks import Finding


def load_settings() -> tuple[Settings | None, Finding]:
    """Read ACCORD_* afresh; a bad value is a finding, not a crash."""
    try:
        settings = Settings()
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(map(str, e['loc'])) or 'settings'}: {e['msg']}" for e in exc.errors()
        )
        return None, Finding("settings", False, problems, "fix the ACCORD_* environment variable named above")
    return settings, checks.writable_data_dir(settings)


def mailboxes(settings: Settings) -> list[Finding]:
    """Each polled mailbox: the worker's login works, and its last poll did not fail."""
    engine = checks.engine_for(settings)
    try:
        with Session(engine) as db:
            boxes = list(db.scalars(select(Mailbox)))
    except SQLAlchemyError:
        return []  # the database finding already says why
    finally:
        engine.dispose()
    if not boxes:
        return [Finding("imap", True, "no mailboxes to poll (add one with `accord mailbox add`)")]
    return [_mailbox(box) for box in boxes]


def _mailbox(box: Mailbox) -> Finding:
    """Log in to the mailbox as the worker does (same user, password, TLS and folder), then log out."""
    account = ImapAccount(
        host=box.host, port=box.port, user=box.user, password=box.password, folder=box.folder, tls=box.tls
    )
    label = f"imap {account.where}"
    try:
        with open_mailbox(account):
            pass
    except MailboxError as exc:
        fix = (
            "fix the mailbox with `accord mailbox remove` and `accord mailbox add` (host, port, --tls, user)"
        )
        return Finding(label, False, exc.message, fix)
    if box.last_error:
        return Finding(label, True, f"login works (the last poll had failed: {box.last_error[:200]})")
    return Finding(label, True, "login works")


def diagnose() -> list[Finding]:
    """All findings, in the order a person would fix them (settings first, mail last)."""
    settings, first = load_settings()
    if settings is None:
        return [first]
    engine = checks.engine_for(settings)
    try:
        found = [first, *checks.readiness(engine, settings)]
    finally:
        engine.dispose()
    found.append(checks.smtp(settings))
    if all(f.ok for f in found if f.name in ("database", "migrations")):  # mailboxes live in the database
        found.extend(mailboxes(settings))
    return found
