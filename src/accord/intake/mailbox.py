"""IMAP polling (P3): fetch unseen mail, hand each raw email to intake, mark it seen only after commit."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from imap_tools import AND, MailBox, MailBoxUnencrypted
from imap_tools.consts import MailMessageFlags

from accord.db import session_scope
from accord.intake import service as intake


@dataclass(frozen=True)
class ImapAccount:
    """Where to read mail from."""

    host: str
    port: int
    user: str
    password: str
    folder: str = "INBOX"
    ssl: bool = True


@dataclass
class PollResult:
    """What one poll did: messages stored, and UIDs that failed (left unseen for the next poll)."""

    stored: list[int] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def _store(workspace_id: int, raw: bytes) -> int:
    """One transaction per email: a failure rolls back only that email (the boundary commits)."""
    with session_scope() as db:
        return intake.receive_email(db, workspace_id=workspace_id, raw=raw).id


def _raw_of(mailbox: MailBox | MailBoxUnencrypted, uid: str) -> bytes | None:
    """The exact bytes of one message, without setting \\Seen (BODY.PEEK)."""
    status, data = mailbox.client.uid("fetch", uid, "(BODY.PEEK[])")
    if status != "OK":
        return None
    for item in data:
        if isinstance(item, tuple) and len(item) == 2:
            return bytes(item[1])
    return None


def poll_imap(
    account: ImapAccount, *, workspace_id: int, store: Callable[[int, bytes], int] = _store
) -> PollResult:
    """Read unseen messages once; each is marked seen only after its case is committed (P3)."""
    box_type = MailBox if account.ssl else MailBoxUnencrypted
    result = PollResult()
    with box_type(account.host, port=account.port).login(
        account.user, account.password, initial_folder=account.folder
    ) as mailbox:
        for uid in mailbox.uids(AND(seen=False)):
            raw = _raw_of(mailbox, uid)
            if raw is None:
                result.failed.append(uid)
                continue
            try:
                result.stored.append(store(workspace_id, raw))
            except Exception:  # a failing email stays unseen and is retried; others go on
                result.failed.append(uid)
                continue
            mailbox.flag(uid, MailMessageFlags.SEEN, True)
    return result
