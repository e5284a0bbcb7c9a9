"""IMAP polling (P3): fetch unseen mail, hand each raw email to intake, mark it seen only after commit.

Every failure to reach the mailbox (refused connection, refused login, missing folder, TLS trouble)
becomes one `MailboxError` line a person can act on; a traceback is never the answer.
"""

from __future__ import annotations

import imaplib
import socket
import ssl
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field

from imap_tools import AND, BaseMailBox, MailBox, MailBoxStartTls, MailBoxUnencrypted
from imap_tools.consts import MailMessageFlags
from imap_tools.errors import ImapToolsError, MailboxFolderSelectError, MailboxLoginError

from accord.db import session_scope
from accord.errors import Invalid
from accord.intake import receive

IMAP_TIMEOUT = 30


class MailboxError(Invalid):
    """The mailbox could not be read; the message says what to fix."""

    code = "mailbox_error"


@dataclass(frozen=True)
class ImapAccount:
    """Where to read mail from; `tls` is ssl (port 993), starttls or none (loopback only)."""

    host: str
    port: int
    user: str
    password: str
    folder: str = "INBOX"
    tls: str = "ssl"

    @property
    def where(self) -> str:
        """How error messages name the mailbox (never with the password)."""
        return f"{self.user}@{self.host}:{self.port}/{self.folder}"


@dataclass
class PollResult:
    """What one poll did: messages stored, and UIDs that failed (left unseen for the next poll)."""

    stored: list[int] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def _store(workspace_id: int, raw: bytes) -> int:
    """One transaction per email: a failure rolls back only that email (the boundary commits)."""
    with session_scope() as db:
        return receive.receive_email(db, workspace_id=workspace_id, raw=raw).id


def _raw_of(mailbox: BaseMailBox, uid: str) -> bytes | None:
    """The exact bytes of one message, without setting \\Seen (BODY.PEEK)."""
    status, data = mailbox.client.uid("fetch", uid, "(BODY.PEEK[])")
    if status != "OK":
        return None
    for item in data:
        if isinstance(item, tuple) and len(item) == 2:
            return bytes(item[1])
    return None


def _box(account: ImapAccount) -> BaseMailBox:
    if account.tls == "ssl":
        return MailBox(account.host, port=account.port, timeout=IMAP_TIMEOUT)
    if account.tls == "starttls":
        return MailBoxStartTls(account.host, port=account.port, timeout=IMAP_TIMEOUT)
    return MailBoxUnencrypted(account.host, port=account.port, timeout=IMAP_TIMEOUT)


def _explain(account: ImapAccount, exc: Exception) -> MailboxError:
    """One line that says what went wrong and where."""
    if isinstance(exc, MailboxLoginError):
        return MailboxError(f"Login refused for {account.where}: check the user and password.")
    if isinstance(exc, MailboxFolderSelectError):
        return MailboxError(f"Folder '{account.folder}' does not exist on {account.host} for {account.user}.")
    if isinstance(exc, ConnectionRefusedError):
        return MailboxError(f"Cannot connect to {account.host}:{account.port}: connection refused.")
    if isinstance(exc, socket.gaierror):
        return MailboxError(f"Cannot find the mail server {account.host}: {exc.strerror}.")
    if isinstance(exc, ssl.SSLError):
        return MailboxError(f"TLS failed with {account.host}:{account.port} ({exc.reason}); check --tls.")
    if isinstance(exc, TimeoutError | socket.timeout):
        return MailboxError(f"{account.host}:{account.port} did not answer in {IMAP_TIMEOUT} s.")
    return MailboxError(f"Reading {account.where} failed: {type(exc).__name__}: {str(exc)[:200]}")


@contextmanager
def open_mailbox(account: ImapAccount) -> Iterator[BaseMailBox]:
    """A logged-in mailbox on the account's folder; connection trouble becomes a MailboxError."""
    try:
        box = _box(account).login(account.user, account.password, initial_folder=account.folder)
    except (OSError, imaplib.IMAP4.error, MailboxLoginError, MailboxFolderSelectError) as exc:
        raise _explain(account, exc) from exc
    try:
        yield box
    finally:
        with suppress(OSError, imaplib.IMAP4.error, ImapToolsError):  # the session is over either way
            box.logout()


def poll_imap(
    account: ImapAccount, *, workspace_id: int, store: Callable[[int, bytes], int] = _store
) -> PollResult:
    """Read unseen messages once; each is marked seen only after its row is committed (P3)."""
    result = PollResult()
    with open_mailbox(account) as mailbox:
        try:
            uids = list(mailbox.uids(AND(seen=False)))
        except (OSError, imaplib.IMAP4.error) as exc:
            raise _explain(account, exc) from exc
        for uid in uids:
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
